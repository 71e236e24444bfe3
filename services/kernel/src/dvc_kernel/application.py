"""Base eventsourcing Application for a service: its own event store, plus an inbox policy.

It is an `EventSourcedProjection`, so its recorder is a ProcessRecorder: new events and a
tracking record commit in one transaction, which is what makes the inbox and the relay exact.
"""

from __future__ import annotations

import logging
from typing import Any
from uuid import UUID

from eventsourcing.application import ProcessingEvent
from eventsourcing.persistence import IntegrityError, Tracking
from eventsourcing.projection import EventSourcedProjection

from dvc_contracts import Envelope, EventPayload

log = logging.getLogger(__name__)


class Incoming:
    """A consumed public event, as handed to a policy."""

    __slots__ = ("envelope", "payload")

    def __init__(self, envelope: Envelope, payload: EventPayload) -> None:
        self.envelope = envelope
        self.payload = payload


class ServiceApplication(EventSourcedProjection[UUID]):
    """Commands and queries of one service over its own event store."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)

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

    def record_position(self, tracking: Tracking) -> None:
        """Record a tracking position with no new events (relay, dispatchers)."""
        self.recorder.insert_events([], tracking=tracking)

    def position(self, name: str) -> int:
        return self.recorder.max_tracking_id(name) or 0
