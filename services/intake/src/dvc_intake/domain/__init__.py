"""Intake's domain: dossier applications, pure Python with no I/O."""
