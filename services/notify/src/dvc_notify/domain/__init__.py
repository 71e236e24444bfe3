"""Notify's domain: what each citizen is told about each dossier. Pure, no I/O."""
