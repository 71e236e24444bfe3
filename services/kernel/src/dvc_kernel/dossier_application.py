"""The base of the services whose aggregates are keyed by the dossier id (processing, payment,
delivery): what they consume is ordered per dossier, and they find a dossier's aggregate through
an index aggregate (of a code, an order reference, a tracking number) that names the dossier."""

from __future__ import annotations

from typing import Protocol, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate

from .catalog_application import CatalogAwareApplication

_Agg = TypeVar("_Agg", bound=Aggregate)


class DossierIndex(Protocol):
    """An index aggregate: its id derives from what it indexes, and it names the dossier."""

    dossier_id: UUID


_Index = TypeVar("_Index", bound=DossierIndex)


class DossierApplication(CatalogAwareApplication):
    subject_field = "dossier_id"  # events about a dossier may arrive before its Submitted

    def find_indexed(self, index: type[_Index], index_id: UUID, kind: type[_Agg]) -> _Agg | None:
        """The `kind` aggregate of the dossier that the `index` aggregate `index_id` names;
        None when either is missing."""
        try:
            found: object = self.repository.get(index_id)
        except AggregateNotFoundError:
            return None
        return self.find(kind, found.dossier_id) if isinstance(found, index) else None
