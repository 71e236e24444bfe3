"""Delivery rules: pure Python, no I/O."""
