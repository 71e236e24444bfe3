"""A dossier no other test has filed: its own id, and a dossier code made from that id.

Tests that share a store, a read model or a broker topic each file their own dossier, so their
codes never collide; the last letter of the code tells a test's dossiers apart when reading logs.
"""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from dvc_contracts.dossier import Submitted

from . import factories


def new_submitted(check: str = "X", **changes: Any) -> Submitted:
    """The Submitted event of a new dossier, coded `261123-<six digits of its id>-<check>`."""
    dossier_id = uuid4()
    code = f"261123-{str(dossier_id.int)[:6]}-{check}"
    return factories.submitted(dossier_id, dossier_code=code, **changes)
