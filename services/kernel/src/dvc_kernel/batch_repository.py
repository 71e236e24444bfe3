"""The repository of a service's application while it applies consumed events a batch at a
time (ADR 0018): what the batch changed so far, and the aggregates earlier batches left in
memory."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.application import ProcessingEvent, Repository


@dataclass
class UnitOfWork:
    """What one batch has changed so far: later events of the batch see these aggregates."""

    aggregates: dict[UUID, Any] = field(default_factory=dict)
    events: list[Any] = field(default_factory=list)
    lookups: list[tuple[str, str, str]] = field(default_factory=list)
    unlookups: list[tuple[str, str, str]] = field(default_factory=list)
    traces: list[dict[str, str]] = field(default_factory=list)  # sampled consumer spans

    def absorb(self, processing_event: ProcessingEvent[UUID]) -> None:
        self.events += processing_event.events
        self.aggregates.update(processing_event.aggregates)
        self.lookups += processing_event.saved_kwargs.get("lookups", ())
        self.unlookups += processing_event.saved_kwargs.get("unlookups", ())


def _project(aggregate: Any, domain_events: Iterable[Any]) -> Any:
    """The library's `project_aggregate` without its per-event `isinstance` check against a
    runtime protocol, which cost more than applying the event (every stored event mutates)."""
    for domain_event in domain_events:
        aggregate = domain_event.mutate(aggregate)
    return aggregate


WARM_AGGREGATES = 20_000  # aggregates consumed batches keep in memory, least recently used out


class BatchRepository(Repository[UUID]):
    """The library's repository, except inside a batch of consumed events (ADR 0018):

    - an aggregate the batch already changed is handed out as it is now, not as stored;
    - an aggregate a committed batch left is handed out from memory (`warm`), not replayed:
      the next event of a dossier usually comes in the next batch. It is exactly as stored
      unless someone else wrote it since; every write in this process drops it from memory,
      and a write by another instance makes the batch's commit fail on its version, after
      which everything the batch took from memory is dropped and the batch goes again.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.work = threading.local()
        self.warm: OrderedDict[UUID, Any] = OrderedDict()
        self._warm_lock = threading.Lock()

    def get(self, aggregate_id: UUID, *args: Any, **kwargs: Any) -> Any:
        unit: UnitOfWork | None = getattr(self.work, "unit", None)
        if unit is not None and not args and kwargs.get("version") is None:
            found = unit.aggregates.get(aggregate_id)
            if found is not None:
                return found
            with self._warm_lock:
                found = self.warm.pop(aggregate_id, None)
            if found is not None:
                unit.aggregates[aggregate_id] = found  # the batch's now; back in memory after it
                return found
        kwargs.setdefault("projector_func", _project)
        return super().get(aggregate_id, *args, **kwargs)

    def keep(self, aggregates: Iterable[Any]) -> None:
        """After a batch committed: its aggregates, as now stored, stay in memory."""
        with self._warm_lock:
            for aggregate in aggregates:
                if getattr(aggregate, "_pending_events", None):
                    continue  # changed and not saved (a policy's slip): not as stored
                self.warm[aggregate.id] = aggregate
                self.warm.move_to_end(aggregate.id)
            while len(self.warm) > WARM_AGGREGATES:
                self.warm.popitem(last=False)

    def take(self, aggregate_id: UUID) -> Any | None:
        """The aggregate as kept in memory (`keep`), now the caller's; None when not kept."""
        with self._warm_lock:
            return self.warm.pop(aggregate_id, None)

    def forget(self, aggregate_ids: Iterable[UUID]) -> None:
        with self._warm_lock:
            for aggregate_id in aggregate_ids:
                self.warm.pop(aggregate_id, None)
