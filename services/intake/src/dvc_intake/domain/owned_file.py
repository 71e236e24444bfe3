"""A file an account uploaded: knowing a file's hash is not owning it, and a citizen may attach
only files they uploaded themselves. One small aggregate per (account, file), so checking an
attachment costs the same whatever the account has uploaded before."""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

_NS = uuid5(NAMESPACE_URL, "https://dichvucong.bocongan.gov.vn/intake/owned-file")


class OwnedFile(Aggregate):
    @staticmethod
    def id_for(owner: str, sha256: str) -> UUID:
        return uuid5(_NS, f"{owner}\x1f{sha256}")

    @event("Uploaded")
    def __init__(self, id: UUID, owner: str, sha256: str, media_type: str, size: int) -> None:
        self.owner = owner
        self.sha256 = sha256
        self.media_type = media_type
        self.size = size
