"""The base of the services that find an aggregate through an index aggregate: one whose id
derives from what it indexes (a code, an order reference, a tracking number) and which names the
subject the service keys its aggregates by (its `subject_field`)."""

from __future__ import annotations

from typing import TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate

from .catalog_application import CatalogAwareApplication

_Agg = TypeVar("_Agg", bound=Aggregate)


class IndexedApplication(CatalogAwareApplication):
    def find_indexed(self, index: type[Aggregate], index_id: UUID, kind: type[_Agg]) -> _Agg | None:
        """The `kind` aggregate of the subject that the `index` aggregate `index_id` names;
        None when either is missing."""
        try:
            found: object = self.repository.get(index_id)
        except AggregateNotFoundError:
            return None
        if not isinstance(found, index) or self.subject_field is None:
            return None
        subject: UUID = getattr(found, self.subject_field)
        return self.find(kind, subject)
