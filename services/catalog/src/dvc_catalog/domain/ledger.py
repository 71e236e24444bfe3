"""What the catalog has published: the record other services and auditors rely on.

A procedure version, once published, is immutable: dossiers filed under it keep it, so a
correction of the law's facts is a new version, never an edit. The catalog's own identifiers
(document codes) are not law: assigning them to a published version republishes it with the
same law facts (ADR 0023). A unit may change (a rename, a
new superior after a merger); each change is published again.
"""

from __future__ import annotations

from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

_PROCEDURE_NS = uuid5(NAMESPACE_URL, "https://dichvucong.bocongan.gov.vn/catalog/procedure")
_UNIT_NS = uuid5(NAMESPACE_URL, "https://dichvucong.bocongan.gov.vn/catalog/unit")


class PublishedVersionChanged(ValueError):
    """A data file rewrites a version that was already published."""

    def __init__(self, code: str, version: int) -> None:
        super().__init__(
            f"procedure {code} version {version} was already published with other facts; "
            "publish the change as a new version file instead of editing this one"
        )
        self.code = code
        self.version = version


class ProcedureLedger(Aggregate):
    class VersionPublished(Aggregate.Event):
        version: int
        digest: str  # of the law facts (the document without identifiers)
        document: dict[str, Any]
        # Of the whole document; absent before identifiers existed, when it equalled `digest`.
        document_digest: str | None = None

    @staticmethod
    def id_for(code: str) -> UUID:
        return uuid5(_PROCEDURE_NS, code)

    @event("Opened")
    def __init__(self, id: UUID, code: str) -> None:
        self.code = code
        self.digests: dict[int, str] = {}
        self.document_digests: dict[int, str] = {}

    def publish(self, version: int, digest: str, document_digest: str, document: dict[str, Any]) -> bool:
        """Record a version; False when it is already published exactly so. `digest` covers the
        law facts, which never change; a new `document_digest` with the same law facts (new
        identifiers) is published again."""
        known = self.digests.get(version)
        if known is not None and known != digest:
            raise PublishedVersionChanged(self.code, version)
        if self.document_digests.get(version) == document_digest:
            return False
        self._published(version=version, digest=digest, document=document, document_digest=document_digest)
        return True

    @event(VersionPublished)
    def _published(
        self, version: int, digest: str, document: dict[str, Any], document_digest: str | None = None
    ) -> None:
        self.digests[version] = digest
        self.document_digests[version] = document_digest or digest


class UnitLedger(Aggregate):
    class UnitPublished(Aggregate.Event):
        digest: str
        document: dict[str, Any]

    @staticmethod
    def id_for(code: str) -> UUID:
        return uuid5(_UNIT_NS, code)

    @event("Opened")
    def __init__(self, id: UUID, code: str) -> None:
        self.code = code
        self.digest: str | None = None

    def publish(self, digest: str, document: dict[str, Any]) -> bool:
        if digest == self.digest:
            return False
        self._published(digest=digest, document=document)
        return True

    @event(UnitPublished)
    def _published(self, digest: str, document: dict[str, Any]) -> None:
        self.digest = digest
