"""Superseded (ADR 0018): what an account owned, as one aggregate that grew with every dossier,
notice and file, so each filing replayed the account's whole history and concurrent filings by
one account clashed on it. Lookup rows (`Owned`) and `OwnedFile` replace it; the class stays so
stores written before can be read and migrated (`IntakeBase.migrate_portfolios`).
"""

from __future__ import annotations

from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

_NS = uuid5(NAMESPACE_URL, "https://dichvucong.bocongan.gov.vn/intake/portfolio")


class Portfolio(Aggregate):
    @staticmethod
    def id_for(owner: str) -> UUID:
        return uuid5(_NS, owner)

    @event("Opened")
    def __init__(self, id: UUID, owner: str) -> None:
        self.owner = owner
        self.dossiers: list[str] = []
        self.notices: list[str] = []
        self.files: dict[str, dict[str, Any]] = {}  # sha256 -> {media_type, size}

    def add_dossier(self, dossier_id: UUID) -> None:
        if str(dossier_id) not in self.dossiers:
            self._dossier_added(str(dossier_id))

    @event("DossierAdded")
    def _dossier_added(self, dossier_id: str) -> None:
        self.dossiers = [*self.dossiers, dossier_id]

    def add_notice(self, notice_id: UUID) -> None:
        if str(notice_id) not in self.notices:
            self._notice_added(str(notice_id))

    @event("NoticeAdded")
    def _notice_added(self, notice_id: str) -> None:
        self.notices = [*self.notices, notice_id]

    def add_file(self, sha256: str, media_type: str, size: int) -> bool:
        if sha256 in self.files:
            return False
        self._file_added(sha256, media_type, size)
        return True

    @event("FileAdded")
    def _file_added(self, sha256: str, media_type: str, size: int) -> None:
        self.files = {**self.files, sha256: {"media_type": media_type, "size": size}}


class PortfoliosMigrated(Aggregate):
    """Marks a store whose portfolios have been turned into lookup rows and owned files."""

    ID = uuid5(_NS, "migrated")

    @event("Done")
    def __init__(self, id: UUID) -> None:
        pass
