"""The catalog's event store: every procedure version and unit it has published."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.utils import get_topic

from dvc_kernel.application import ServiceApplication

from ..domain.catalog import Catalog
from ..domain.ledger import ProcedureLedger, UnitLedger
from ..translation import procedure_version_published, unit_published


def _digest(document: dict[str, Any]) -> str:
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _law_digest(document: dict[str, Any]) -> str:
    """Digest of a version's law facts: the document without the catalog's own identifiers
    (document codes). Versions published before codes existed digest exactly so."""
    documents = [{k: v for k, v in d.items() if k != "code"} for d in document.get("documents", [])]
    return _digest({**document, "documents": documents})


@dataclass
class PublishReport:
    versions: list[str] = field(default_factory=list)
    units: int = 0

    def __bool__(self) -> bool:
        return bool(self.versions or self.units)


class CatalogApplication(ServiceApplication):
    name = "catalog"

    def publish(self, catalog: Catalog) -> PublishReport:
        """Publish every procedure version and unit of `catalog` not yet published as it is.

        Runs in one transaction: a data set with a rewritten published version is refused
        whole (PublishedVersionChanged) and nothing of it is published.
        """
        report = PublishReport()
        known_units = self._unit_digests()
        changed: list[ProcedureLedger | UnitLedger] = []
        for procedure in catalog.procedures:
            ledger = self._ledger(ProcedureLedger, ProcedureLedger.id_for(procedure.code), procedure.code)
            touched = False
            for version in procedure.versions:
                document = procedure_version_published(version).model_dump(mode="json")
                if ledger.publish(version.version, _law_digest(document), _digest(document), document):
                    report.versions.append(f"{procedure.code} v{version.version}")
                    touched = True
            if touched:
                changed.append(ledger)
        for unit in catalog.units.all():
            document = unit_published(unit).model_dump(mode="json")
            digest = _digest(document)
            if known_units.get(unit.code) == digest:
                continue
            ledger_u = self._ledger(UnitLedger, UnitLedger.id_for(unit.code), unit.code)
            if ledger_u.publish(digest, document):
                report.units += 1
                changed.append(ledger_u)
        if changed:
            self.save(*changed)
        return report

    def _ledger(self, cls: Any, ledger_id: UUID, code: str) -> Any:
        try:
            return self.repository.get(ledger_id)
        except AggregateNotFoundError:
            return cls(id=ledger_id, code=code)

    def _unit_digests(self) -> dict[str, str]:
        """Latest digest per unit, read from the notification log in one pass."""
        digests: dict[str, str] = {}
        topic = get_topic(UnitLedger.UnitPublished)
        start = 1
        while True:
            batch = self.recorder.select_notifications(start, 5000, topics=[topic])
            if not batch:
                return digests
            for notification in batch:
                event = self.mapper.to_domain_event(notification)
                digests[event.document["code"]] = event.digest  # type: ignore[attr-defined]
            start = batch[-1].id + 1
