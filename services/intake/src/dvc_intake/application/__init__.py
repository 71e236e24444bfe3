"""Intake's application: drafts and filing, the citizen's follow-up, lodging notices, uploads."""

from __future__ import annotations

from ..domain.dossier import Dossier
from .base import DOSSIERS
from .filing import FilingCommands
from .followup import FollowUpCommands
from .lodging import LodgingCommands
from .uploads import UploadCommands


class IntakeApplication(FilingCommands, FollowUpCommands, LodgingCommands, UploadCommands):
    def dossiers_of(self, owner: str, *, drafts: bool) -> list[Dossier]:
        """The owner's submitted dossiers (or drafts), newest first."""
        found = (self.owned_dossier(owner, d) for d in self.owned_ids(DOSSIERS, owner))
        chosen = [d for d in found if d is not None and d.is_draft == drafts]
        return sorted(chosen, key=lambda d: d.modified_on, reverse=True)
