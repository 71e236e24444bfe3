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
from dvc_contracts.registry import payload_of

from . import telemetry
from .meta import CommandMeta

log = logging.getLogger(__name__)


class Incoming:
    """A consumed public event, as handed to a policy."""

    __slots__ = ("envelope", "payload")

    def __init__(self, envelope: Envelope, payload: EventPayload) -> None:
        self.envelope = envelope
        self.payload = payload

    @classmethod
    def of(cls, stored: dict[str, Any]) -> Incoming:
        """A stored envelope (a parked event) as a policy is handed it."""
        envelope = Envelope.model_validate(stored)
        return cls(envelope, payload_of(envelope))


class StoreIdentity(Aggregate):
    """Names this event store. Created once, at the store's first use.

    The relay marks every message with it, so after a store is replaced (restored, reset) its
    relay never mistakes another store's messages on the topic for its own progress.
    """

    ID = uuid5(NAMESPACE_URL, "https://dichvucong.bocongan.gov.vn/store-identity")

    @event("Named")
    def __init__(self, id: UUID, store_id: str) -> None:
        self.store_id = store_id


class AwaitingCause(Exception):
    """Raised by `on_incoming` before it collects anything: the event concerns `subject` (a
    dossier), whose creating event arrives on another topic and has not been applied yet.

    The event is parked in the store with its tracking record instead of being retried, so the
    partition moves on (an event whose cause never comes cannot block it), and it is applied
    as soon as an event of the same subject has been.
    """

    def __init__(self, subject: UUID, what: str = "") -> None:
        super().__init__(what or f"waiting for {subject}")
        self.subject = subject


_PARKED_NS = uuid5(NAMESPACE_URL, "https://dichvucong.bocongan.gov.vn/parked")


class Parked(Aggregate):
    """Consumed events of one subject waiting for it to exist, oldest first."""

    @staticmethod
    def id_for(subject: UUID) -> UUID:
        return uuid5(_PARKED_NS, str(subject))

    @event("Opened")
    def __init__(self, id: UUID, subject: UUID) -> None:
        self.subject = subject
        self.pending: list[dict[str, Any]] = []

    @event("EventParked")
    def park(self, envelope: dict[str, Any]) -> None:
        self.pending.append(envelope)

    @event("EventReleased")
    def release_first(self, event_id: str) -> None:
        self.pending.pop(0)


class ParkingLot(Aggregate):
    """Which subjects have parked events: read once at start, so the check is in memory."""

    ID = uuid5(NAMESPACE_URL, "https://dichvucong.bocongan.gov.vn/parking-lot")

    @event("Opened")
    def __init__(self, id: UUID) -> None:
        self.subjects: set[UUID] = set()

    @event("SubjectWaiting")
    def add(self, subject: UUID) -> None:
        self.subjects.add(subject)

    @event("SubjectReleased")
    def remove(self, subject: UUID) -> None:
        self.subjects.discard(subject)


class ServiceApplication(EventSourcedProjection[UUID]):
    """Commands and queries of one service over its own event store."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._waiting: set[UUID] | None = None  # subjects with parked events, loaded lazily

    def reaction_meta(self, incoming: Incoming) -> dict[str, Any]:
        """Meta of what this service records in reaction to a consumed event: caused by it, in
        its correlation and its trace."""
        envelope = incoming.envelope
        return CommandMeta.system(
            self.name,
            caused_by=envelope.event_id,
            correlation_id=envelope.correlation_id,
            trace_context=envelope.trace_context,
        ).as_dict()

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
        waiting = self.waiting_subjects()
        try:
            self.process_event(incoming, tracking)  # type: ignore[arg-type]
        except IntegrityError:
            # Either a concurrent instance applied the same message first (then it is done),
            # or a genuine conflict on an aggregate (then the message must be retried).
            if self.already_processed(tracking):
                return False
            raise
        subject = getattr(incoming.payload, "dossier_id", None)
        if subject in waiting:
            self.release_parked(subject)
        return True

    def policy(self, domain_event: Any, processing_event: ProcessingEvent[UUID]) -> None:
        """Default: a consumed event this service does not react to is only tracked."""
        dispatch = getattr(self, "on_incoming", None)
        if dispatch is not None and isinstance(domain_event, Incoming):
            try:
                dispatch(domain_event, processing_event)
            except AwaitingCause as awaiting:
                self._park(awaiting.subject, domain_event, processing_event)

    # -- parked events ------------------------------------------------------------------------

    def _lot(self) -> ParkingLot:
        try:
            lot: ParkingLot = self.repository.get(ParkingLot.ID)
        except AggregateNotFoundError:
            lot = ParkingLot(id=ParkingLot.ID)
        return lot

    def _park(self, subject: UUID, incoming: Incoming, processing_event: ProcessingEvent[UUID]) -> None:
        try:
            parked: Parked = self.repository.get(Parked.id_for(subject))
        except AggregateNotFoundError:
            parked = Parked(id=Parked.id_for(subject), subject=subject)
        parked.park(incoming.envelope.model_dump(mode="json"))
        lot = self._lot()
        if subject not in lot.subjects:
            lot.add(subject)
        processing_event.collect_events(parked, lot)
        if self._waiting is not None:
            self._waiting.add(subject)  # if the write fails, a needless look-up later is all
        log.info("%s of %s parked until it is known", incoming.envelope.event_type, subject)

    def waiting_subjects(self) -> set[UUID]:
        """Subjects with parked events; on first use, also releases what a crash left parked."""
        if self._waiting is None:
            self._waiting = set(self._lot().subjects)
            for subject in sorted(self._waiting):
                self.release_parked(subject)
        return self._waiting

    def release_parked(self, subject: UUID) -> int:
        """Apply the subject's parked events, oldest first, each in its own transaction with its
        release; stops at one still waiting. Returns how many were applied."""
        applied = 0
        while True:
            try:
                parked: Parked = self.repository.get(Parked.id_for(subject))
            except AggregateNotFoundError:
                break
            if not parked.pending:
                break
            envelope = parked.pending[0]
            processing_event: ProcessingEvent[UUID] = ProcessingEvent(tracking=None)
            try:
                self.on_incoming(Incoming.of(envelope), processing_event)  # type: ignore[attr-defined]
            except AwaitingCause:
                return applied
            parked.release_first(str(envelope["event_id"]))
            processing_event.collect_events(parked)
            if not parked.pending:
                lot = self._lot()
                lot.remove(subject)
                processing_event.collect_events(lot)
            try:
                self._record(processing_event)
            except IntegrityError:
                return applied  # another instance released it meanwhile; its next event looks again
            applied += 1
        if self._waiting is not None:
            self._waiting.discard(subject)
        return applied

    def _record(self, processing_event: ProcessingEvent[UUID]) -> list[Recording[UUID]]:
        # Every write to the store (commands and consumed events alike) is a span of its trace.
        with telemetry.recording(self.name, processing_event.events, processing_event.tracking):
            return super()._record(processing_event)

    def record_position(self, tracking: Tracking) -> None:
        """Record a tracking position with no new events (relay, dispatchers)."""
        self.recorder.insert_events([], tracking=tracking)

    def position(self, name: str) -> int:
        return self.recorder.max_tracking_id(name) or 0
