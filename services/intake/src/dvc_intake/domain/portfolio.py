"""What belongs to one account: its dossiers (and drafts), lodging notices and uploaded files.

The portfolio is saved in the same transaction as whatever it lists, so "my dossiers" never
misses one and never lists one that failed to save. Files are stored once by content hash; the
portfolio records who uploaded which, so a citizen can only attach files they uploaded
themselves (knowing a hash is not owning the file).
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
