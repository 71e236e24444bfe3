"""Processing's commands, queries and its policy for consumed events."""

from __future__ import annotations

import logging
from uuid import UUID

from dvc_contracts.dossier import Submitted
from dvc_kernel.application import Incoming, ServiceApplication
from dvc_kernel.catalog_replica import CatalogReplica
from dvc_kernel.clock import Clock, SystemClock
from dvc_kernel.meta import CommandMeta
from eventsourcing.application import AggregateNotFoundError, ProcessingEvent

from .deadlines import due_for
from .domain.case import Case

log = logging.getLogger(__name__)


class ProcessingApplication(ServiceApplication):
    name = "processing"

    def __init__(
        self,
        env: dict[str, str] | None = None,
        clock: Clock | None = None,
        catalog: CatalogReplica | None = None,
    ) -> None:
        super().__init__(env)
        self.clock = clock or SystemClock()
        self.catalog = catalog or CatalogReplica()

    def on_incoming(self, incoming: Incoming, processing_event: ProcessingEvent[UUID]) -> None:
        if isinstance(incoming.payload, Submitted):
            self._receive(incoming, incoming.payload, processing_event)

    def _receive(
        self, incoming: Incoming, submitted: Submitted, processing_event: ProcessingEvent[UUID]
    ) -> None:
        """Every submitted dossier is received automatically, at the moment it arrives."""
        if self.case(submitted.dossier_id) is not None:
            return
        envelope = incoming.envelope
        meta = CommandMeta.system(
            "processing",
            caused_by=envelope.event_id,
            correlation_id=envelope.correlation_id,
            trace_context=envelope.trace_context,
        )
        version = self.catalog.version(submitted.procedure_code, submitted.procedure_version)
        deadline = due_for(version, submitted.submitted_at, submitted.unit_code) if version else None
        if deadline is None:
            log.warning(
                "no catalog version %s v%d: dossier %s received without a due date",
                submitted.procedure_code,
                submitted.procedure_version,
                submitted.dossier_code,
            )
        case = Case(
            id=submitted.dossier_id,
            dossier_code=submitted.dossier_code,
            procedure_code=submitted.procedure_code,
            procedure_version=submitted.procedure_version,
            owner_account=submitted.owner_account,
            unit_code=submitted.unit_code,
            received_at=self.clock.now(),
            due_at=deadline.due_at if deadline else None,
            due_explanation=list(deadline.steps) if deadline else [],
            meta=meta.as_dict(),
        )
        processing_event.collect_events(case)

    def case(self, dossier_id: UUID) -> Case | None:
        try:
            found: Case = self.repository.get(dossier_id)
        except AggregateNotFoundError:
            return None
        return found
