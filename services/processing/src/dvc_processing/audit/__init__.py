"""Auditing: staff reads recorded as events, and the read-only `dvc-audit` tool."""
