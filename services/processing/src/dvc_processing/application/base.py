"""What every processing command and query needs: the clock, the catalog, and the case."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from dvc_kernel.catalog_application import CatalogAwareApplication
from dvc_kernel.refusal import Kind, Refusal

from ..domain.case import Case, CaseCodeIndex


def dossier_not_found() -> Refusal:
    return Refusal("dossier_not_found", "Không tìm thấy hồ sơ có mã này.", Kind.NOT_FOUND)


class ProcessingBase(CatalogAwareApplication):
    subject_field = "dossier_id"  # events about a dossier may arrive before its Submitted

    # Plain store reads: the policy, the watcher and the other commands call them inside their
    # own store call; a route awaits a command or query of `queries.py` instead.

    def case(self, dossier_id: UUID) -> Case | None:
        return self.find(Case, dossier_id)

    def case_by_code(self, code: str) -> Case | None:
        index = self.find(CaseCodeIndex, Case.code_index_id(code))
        return self.case(index.dossier_id) if index is not None else None

    def case_events(self, dossier_id: UUID) -> list[Any]:
        return list(self.events.get(dossier_id))

    def has_applied(self, dossier_id: UUID, producer: str, version: int) -> bool:
        """Whether processing has acted on `producer`'s event at `version` of the dossier (or a
        later one): read-your-writes for a citizen who just submitted or resubmitted."""
        return any(
            (cause := getattr(e, "cause", None))
            and cause.get("producer") == producer
            and int(cause.get("aggregate_version", 0)) >= version
            for e in self.case_events(dossier_id)
        )
