"""Base eventsourcing Application for a service: its own event store, plus an inbox policy.

It is an `EventSourcedProjection`, so its recorder is a ProcessRecorder: new events and a
tracking record commit in one transaction, which is what makes the inbox and the relay exact.
"""

from __future__ import annotations

import logging
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from eventsourcing.application import AggregateNotFoundError, ProcessingEvent
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import IntegrityError, Recording, Tracking
from eventsourcing.projection import EventSourcedProjection

from dvc_contracts import Envelope, EventPayload

from . import telemetry

log = logging.getLogger(__name__)


class Incoming:
    """A consumed public event, as handed to a policy."""

    __slots__ = ("envelope", "payload")

    def __init__(self, envelope: Envelope, payload: EventPayload) -> None:
        self.envelope = envelope
        self.payload = payload


class StoreIdentity(Aggregate):
    """Names this event store. Created once, at the store's first use.

    The relay marks every message with it, so after a store is replaced (restored, reset) its
    relay never mistakes another store's messages on the topic for its own progress.
    """

    ID = uuid5(NAMESPACE_URL, "https://dichvucong.bocongan.gov.vn/store-identity")

    @event("Named")
    def __init__(self, id: UUID, store_id: str) -> None:
        self.store_id = store_id


class ServiceApplication(EventSourcedProjection[UUID]):
    """Commands and queries of one service over its own event store."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)

    def store_id(self) -> str:
        """This store's identity, created on first call."""
        try:
            identity: StoreIdentity = self.repository.get(StoreIdentity.ID)
        except AggregateNotFoundError:
            identity = StoreIdentity(id=StoreIdentity.ID, store_id=str(uuid4()))
            try:
                self.save(identity)
            except IntegrityError:  # another instance named it first
                identity = self.repository.get(StoreIdentity.ID)
        return identity.store_id

    def already_processed(self, tracking: Tracking) -> bool:
        done = self.recorder.max_tracking_id(tracking.application_name)
        return done is not None and done >= tracking.notification_id

    def process_incoming(self, incoming: Incoming, tracking: Tracking) -> bool:
        """Apply one consumed event exactly once; False when it had been applied before."""
        if self.already_processed(tracking):
            return False
        try:
            self.process_event(incoming, tracking)  # type: ignore[arg-type]
        except IntegrityError:
            # Either a concurrent instance applied the same message first (then it is done),
            # or a genuine conflict on an aggregate (then the message must be retried).
            if self.already_processed(tracking):
                return False
            raise
        return True

    def policy(self, domain_event: Any, processing_event: ProcessingEvent[UUID]) -> None:
        """Default: a consumed event this service does not react to is only tracked."""
        dispatch = getattr(self, "on_incoming", None)
        if dispatch is not None and isinstance(domain_event, Incoming):
            dispatch(domain_event, processing_event)

    def _record(self, processing_event: ProcessingEvent[UUID]) -> list[Recording[UUID]]:
        # Every write to the store (commands and consumed events alike) is a span of its trace.
        with telemetry.recording(self.name, processing_event.events, processing_event.tracking):
            return super()._record(processing_event)

    def record_position(self, tracking: Tracking) -> None:
        """Record a tracking position with no new events (relay, dispatchers)."""
        self.recorder.insert_events([], tracking=tracking)

    def position(self, name: str) -> int:
        return self.recorder.max_tracking_id(name) or 0
