"""Base eventsourcing Application for a service: its own event store, plus an inbox policy.

It is an `EventSourcedProjection`, so its recorder is a ProcessRecorder: new events and tracking
records commit in one transaction, which is what makes the inbox and the relay exact. Consumed
events are applied a batch at a time (ADR 0018): one transaction for the effects of a whole
batch and the tracking record of each stream it read.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Concatenate, ParamSpec, TypeVar
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from eventsourcing.application import AggregateNotFoundError, ProcessingEvent, Repository
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import IntegrityError, Recording, Tracking
from eventsourcing.projection import EventSourcedProjection
from eventsourcing.utils import strtobool

from dvc_contracts import Envelope, EventPayload
from dvc_contracts.registry import payload_of

from . import (
    personal_data,  # noqa: F401  (installs the opener of sealed personal fields)
    telemetry,
)
from .batch_repository import BatchRepository, UnitOfWork
from .commits import CommitSignal
from .event_meta import EventMeta
from .meta import CommandMeta

log = logging.getLogger(__name__)

# The library's modules, and ours that add multi-tracking and lookup rows (persistence/).
_OUR_PERSISTENCE = {
    "eventsourcing.sqlite": "dvc_kernel.persistence.sqlite",
    "eventsourcing.postgres": "dvc_kernel.persistence.postgres",
    "eventsourcing.popo": "dvc_kernel.persistence.popo",
}


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


@dataclass(frozen=True)
class Delivery:
    """One consumed message: the event, and where it stands in the stream it came from.

    `stream` names a tracking record and `position` is the message's place in it (a position
    at or below the recorded one has been applied before)."""

    incoming: Incoming
    stream: str
    position: int
    topic: str = ""
    partition: int = 0
    offset: int = 0
    headers: Sequence[tuple[str, bytes]] | None = None


class Collecting(ProcessingEvent[UUID]):
    """The library's `ProcessingEvent`, collecting from our aggregates without asking each
    object whether it fits a runtime protocol (an `isinstance` against a Protocol walks the
    protocol's members: it cost more than collecting the events)."""

    def collect_events(self, *objs: Any, **kwargs: Any) -> None:
        others = []
        for obj in objs:
            if isinstance(obj, Aggregate):
                self.events.extend(obj.collect_events())
                self.aggregates[obj.id] = obj
            elif obj is not None:
                others.append(obj)
        super().collect_events(*others, **kwargs)


OnFailure = Callable[[Delivery, Exception], None]


def event_types(*payloads: type[EventPayload]) -> frozenset[str]:
    """The names of these event types, as `ServiceApplication.handles` takes them."""
    return frozenset(payload.event_type for payload in payloads)


@dataclass
class BatchResult:
    applied: list[bool] = field(default_factory=list)  # per delivery: applied, or seen before

    @property
    def duplicates(self) -> int:
        return self.applied.count(False)


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
    """Superseded by the `parked` lookup rows (ADR 0018): one aggregate listing every subject,
    whose history grew with every event ever parked. Read once to migrate an older store."""

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


class ParkingMigrated(Aggregate):
    ID = uuid5(NAMESPACE_URL, "https://dichvucong.bocongan.gov.vn/parking-migrated")

    @event("Done")
    def __init__(self, id: UUID) -> None:
        pass


# Lookup rows of the subjects with parked events: ("parked", "", subject id).
PARKED = "parked"


def parked_row(subject: UUID) -> tuple[str, str, str]:
    return (PARKED, "", str(subject))


_P = ParamSpec("_P")
_T = TypeVar("_T")
_App = TypeVar("_App", bound="ServiceApplication")
_Agg = TypeVar("_Agg", bound=Aggregate)


def _one_at_a_time(
    method: Callable[Concatenate[_App, _P], _T],
) -> Callable[Concatenate[_App, _P], _T]:
    """Consumed events are applied by one thread of a process at a time. Two consumers (one per
    topic) applying at once could each miss the other's uncommitted write: an event parked for
    its cause while the cause is being applied in the other thread would stay parked."""

    def serialised(self: _App, /, *args: _P.args, **kwargs: _P.kwargs) -> _T:
        with self.applying:
            return method(self, *args, **kwargs)

    serialised.__doc__, serialised.__name__ = method.__doc__, method.__name__
    return serialised


class ServiceApplication(EventSourcedProjection[UUID]):
    """Commands and queries of one service over its own event store."""

    # The event types its policy reacts to; the inbox skips the others without decoding them.
    # None: every type (a service whose policy looks at everything).
    handles: ClassVar[frozenset[str] | None] = None
    # Whether its store calls may run on the event loop when the store allows it (ADR 0018);
    # False for a service whose reactions do long or loop-bound work (signing a document).
    # The payload field naming what an event is about, for events parked while that subject's
    # creating event has not arrived (`AwaitingCause`); None: the service parks nothing.
    subject_field: ClassVar[str | None] = None
    store_calls_on_the_loop: ClassVar[bool] = True

    def __init__(self, env: dict[str, str] | None = None) -> None:
        env = dict(env or {})
        module = env.get("PERSISTENCE_MODULE") or "eventsourcing.popo"  # the library's default
        env["PERSISTENCE_MODULE"] = _OUR_PERSISTENCE.get(module, module)
        self.commits = CommitSignal()  # set before the library's constructor runs any of our code
        super().__init__(env)
        self._waiting: set[UUID] | None = None  # subjects with parked events, loaded lazily
        self.applying = threading.RLock()  # see `_one_at_a_time`
        self._tracked: dict[str, int] = {}  # stream -> position applied, as far as we know

    def construct_repository(self) -> Repository[UUID]:
        # The library's construction, with our repository class.
        cache_maxsize = self.env.get(self.AGGREGATE_CACHE_MAXSIZE)
        return BatchRepository(
            event_store=self.events,
            snapshot_store=self.snapshots,
            cache_maxsize=int(cache_maxsize) if cache_maxsize else None,
            fastforward=strtobool(self.env.get(self.AGGREGATE_CACHE_FASTFORWARD, "y")),
            fastforward_skipping=strtobool(self.env.get(self.AGGREGATE_CACHE_FASTFORWARD_SKIPPING, "n")),
            deepcopy_from_cache=strtobool(self.env.get(self.DEEPCOPY_FROM_AGGREGATE_CACHE, "y")),
        )

    def reaction_meta(self, incoming: Incoming) -> EventMeta:
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

    def find(self, kind: type[_Agg], aggregate_id: UUID) -> _Agg | None:
        """The aggregate `aggregate_id` if it exists and is a `kind`, else None."""
        try:
            found: Aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        return found if isinstance(found, kind) else None

    def lookup(self, name: str, key: str, limit: int | None = None) -> list[str]:
        """Lookup rows written with `lookups=[(name, key, value)]` on save, newest first."""
        values: list[str] = self.recorder.lookup(name, key, limit)  # type: ignore[attr-defined]
        return values

    # -- consumed events, one at a time ------------------------------------------------------

    def already_processed(self, tracking: Tracking) -> bool:
        done = self.recorder.max_tracking_id(tracking.application_name)
        return done is not None and done >= tracking.notification_id

    @_one_at_a_time
    def process_incoming(self, incoming: Incoming, tracking: Tracking) -> bool:
        """Apply one consumed event exactly once; False when it had been applied before."""
        if self.already_processed(tracking):
            return False
        waiting = self.waiting_subjects()
        try:
            self.process_event(incoming, tracking)
        except IntegrityError:
            # Either a concurrent instance applied the same message first (then it is done),
            # or a genuine conflict on an aggregate (then the message must be retried).
            self._tracked.pop(tracking.application_name, None)
            if self.already_processed(tracking):
                return False
            raise
        self._tracked[tracking.application_name] = tracking.notification_id
        subject = self.subject_of(incoming)
        if subject in waiting:
            self.release_parked(subject)
        return True

    def subject_of(self, incoming: Incoming) -> UUID | None:
        """What the event is about, as `subject_field` names it (parked events wait for it)."""
        if self.subject_field is None:
            return None
        subject: UUID | None = getattr(incoming.payload, self.subject_field, None)
        return subject

    def policy(self, domain_event: Any, processing_event: ProcessingEvent[UUID]) -> None:
        """Default: a consumed event this service does not react to is only tracked."""
        dispatch = getattr(self, "on_incoming", None)
        if dispatch is not None and isinstance(domain_event, Incoming):
            try:
                dispatch(domain_event, processing_event)
            except AwaitingCause as awaiting:
                self._park(awaiting.subject, domain_event, processing_event)

    # -- consumed events, a batch at a time --------------------------------------------------

    def tracked(self, stream: str) -> int:
        """How far `stream` has been applied (cached; the store's tracking record is the truth,
        and a stale cache only makes a commit fail and the batch go again)."""
        position = self._tracked.get(stream)
        if position is None:
            position = self.recorder.max_tracking_id(stream) or 0
            self._tracked[stream] = position
        return position

    @_one_at_a_time
    def process_batch(
        self, deliveries: Sequence[Delivery], on_failure: OnFailure | None = None
    ) -> BatchResult:
        """Apply consumed events in one transaction, each exactly once, in order.

        Raises whatever a policy raises (after calling `on_failure` inside the failing event's
        trace and log context), or `IntegrityError` when another writer (an officer's command,
        another instance) changed what the batch read: nothing is then written, and the caller
        applies the batch one event at a time instead."""
        result = BatchResult()
        waiting = self.waiting_subjects()
        unit = UnitOfWork()
        done: dict[str, int] = {}
        self.repository.work.unit = unit  # type: ignore[attr-defined]
        try:
            for delivery in deliveries:
                seen = done.get(delivery.stream)
                if seen is None:
                    seen = self.tracked(delivery.stream)
                if delivery.position <= seen:
                    result.applied.append(False)
                    continue
                done[delivery.stream] = delivery.position
                self._apply(delivery, unit, waiting, on_failure)
                result.applied.append(True)
            if done:
                trackings = [Tracking(stream, position) for stream, position in done.items()]
                try:
                    self._record_batch(unit, trackings)
                except IntegrityError:
                    for stream in done:
                        self._tracked.pop(stream, None)
                    raise
                self._tracked.update(done)
        except BaseException:
            unit.aggregates.clear()  # maybe changed and not stored: none goes back to memory
            raise
        finally:
            self.repository.work.unit = None  # type: ignore[attr-defined]
            self.repository.keep(unit.aggregates.values())  # type: ignore[attr-defined]
        return result

    def _apply(
        self, delivery: Delivery, unit: UnitOfWork, waiting: set[UUID], on_failure: OnFailure | None
    ) -> None:
        incoming = delivery.incoming
        with telemetry.consuming(
            incoming.envelope, delivery.topic, delivery.partition, delivery.offset, delivery.headers
        ):
            processing_event: ProcessingEvent[UUID] = Collecting()
            try:
                self.policy(incoming, processing_event)
            except Exception as error:
                if on_failure is not None:
                    on_failure(delivery, error)
                raise
            unit.absorb(processing_event)
            if sampled := telemetry.current_if_sampled():
                unit.traces.append(sampled)
        subject = self.subject_of(incoming)
        if subject is not None and subject in waiting and not self._parked_in(unit, subject, incoming):
            self._release_within(unit, subject)

    @staticmethod
    def _parked_in(unit: UnitOfWork, subject: UUID, incoming: Incoming) -> bool:
        parked = unit.aggregates.get(Parked.id_for(subject))
        if parked is None:
            return False
        return any(p["event_id"] == str(incoming.envelope.event_id) for p in parked.pending)

    def _release_within(self, unit: UnitOfWork, subject: UUID) -> None:
        """Apply the subject's parked events inside the batch, oldest first."""
        try:
            parked: Parked = self.repository.get(Parked.id_for(subject))
        except AggregateNotFoundError:
            return
        while parked.pending:
            envelope = parked.pending[0]
            processing_event: ProcessingEvent[UUID] = Collecting()
            try:
                self.on_incoming(Incoming.of(envelope), processing_event)  # type: ignore[attr-defined]
            except AwaitingCause:
                return
            parked.release_first(str(envelope["event_id"]))
            processing_event.collect_events(parked)
            if not parked.pending:
                processing_event.collect_events(unlookups=[parked_row(subject)])
            unit.absorb(processing_event)

    def _record_batch(self, unit: UnitOfWork, trackings: list[Tracking]) -> None:
        with telemetry.recording_batch(self.name, unit.events, trackings, unit.traces):
            stored = [self.mapper.to_stored_event(e) for e in unit.events]
            self.recorder.insert_events(
                stored, trackings=trackings, lookups=unit.lookups, unlookups=unit.unlookups
            )
        if stored:
            self.commits.fire()
        if self._waiting is not None:
            for _, _, subject in unit.unlookups:  # fully released
                self._waiting.discard(UUID(subject))

    # -- parked events ------------------------------------------------------------------------

    def _park(self, subject: UUID, incoming: Incoming, processing_event: ProcessingEvent[UUID]) -> None:
        try:
            parked: Parked = self.repository.get(Parked.id_for(subject))
        except AggregateNotFoundError:
            parked = Parked(id=Parked.id_for(subject), subject=subject)
        parked.park(incoming.envelope.model_dump(mode="json"))
        processing_event.collect_events(parked, lookups=[parked_row(subject)])
        if self._waiting is not None:
            self._waiting.add(subject)  # if the write fails, a needless look-up later is all
        log.info("%s of %s parked until it is known", incoming.envelope.event_type, subject)

    def waiting_subjects(self) -> set[UUID]:
        """Subjects with parked events; on first use, also releases what a crash left parked."""
        if self._waiting is None:
            self._migrate_parking_lot()
            self._waiting = {UUID(v) for v in self.lookup(PARKED, "")}
            for subject in sorted(self._waiting):
                self.release_parked(subject)
        return self._waiting

    def _migrate_parking_lot(self) -> None:
        """A store written before ADR 0018 lists its waiting subjects in a `ParkingLot`."""
        try:
            self.repository.get(ParkingMigrated.ID)
            return
        except AggregateNotFoundError:
            pass
        try:
            lot: ParkingLot = self.repository.get(ParkingLot.ID)
        except AggregateNotFoundError:
            return  # nothing to migrate (a new store)
        rows = [parked_row(subject) for subject in lot.subjects]
        with contextlib.suppress(IntegrityError):  # another instance did it first
            self.save(ParkingMigrated(id=ParkingMigrated.ID), lookups=rows)

    @_one_at_a_time
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
            processing_event: ProcessingEvent[UUID] = Collecting(tracking=None)
            try:
                self.on_incoming(Incoming.of(envelope), processing_event)  # type: ignore[attr-defined]
            except AwaitingCause:
                return applied
            parked.release_first(str(envelope["event_id"]))
            processing_event.collect_events(parked)
            if not parked.pending:
                processing_event.collect_events(unlookups=[parked_row(subject)])
            try:
                self._record(processing_event)
            except IntegrityError:
                return applied  # another instance released it meanwhile; its next event looks again
            applied += 1
        if self._waiting is not None:
            self._waiting.discard(subject)
        return applied

    def sweep_parked(self) -> int:
        """Look again at every parked event (run every few seconds). Instances sharing a
        PostgreSQL store may each miss the other's write: one parks an event while another
        commits its cause without seeing the park. Returns how many were applied."""
        return sum(self.release_parked(UUID(subject)) for subject in self.lookup(PARKED, ""))

    # -- writing ------------------------------------------------------------------------------

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        """The library's `save`, collecting with `Collecting`."""
        processing_event = Collecting()
        processing_event.collect_events(*objs, **kwargs)
        recordings = self._record(processing_event)
        self._take_snapshots(processing_event)
        self._notify(recordings)
        return recordings

    def append_retrying(
        self, aggregate_id: UUID, create: Callable[[], Any], change: Callable[[Any], None], attempts: int = 10
    ) -> None:
        """Append to an aggregate that other writers append to at the same moment (two staff
        reading one dossier): on a conflict, read it again and append again."""
        for attempt in range(attempts):
            try:
                aggregate: Any = self.repository.get(aggregate_id)
            except AggregateNotFoundError:
                aggregate = create()
            change(aggregate)
            try:
                self.save(aggregate)
                return
            except IntegrityError:
                if attempt == attempts - 1:
                    raise

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        """The library's `process_event`, collecting with `Collecting`."""
        processing_event = Collecting(tracking=tracking)
        self.policy(domain_event, processing_event)
        recordings = self._record(processing_event)
        self._take_snapshots(processing_event)
        self._notify(recordings)

    def _record(self, processing_event: ProcessingEvent[UUID]) -> list[Recording[UUID]]:
        # Every write to the store (commands and consumed events alike) is a span of its trace,
        # and wakes whoever follows the log (the relay first).
        # A write outside a batch (a command, a dispatcher): its aggregates are no longer as the
        # batches' memory has them.
        self.repository.forget(processing_event.aggregates)  # type: ignore[attr-defined]
        with telemetry.recording(self.name, processing_event.events, processing_event.tracking):
            recordings = super()._record(processing_event)
        if processing_event.events:
            self.commits.fire()
        return recordings

    def record_tracked(self, processing_event: ProcessingEvent[UUID]) -> None:
        """Record what was collected (and its tracking record, if any) in one transaction,
        outside a batch: a dead letter set aside, an operator's replay (dead_letters.py)."""
        self._record(processing_event)
        if processing_event.tracking is not None:
            tracking = processing_event.tracking
            self._tracked[tracking.application_name] = tracking.notification_id

    def forget_tracked(self, stream: str) -> None:
        """The cached position of `stream` may be stale: read it from the store next time."""
        self._tracked.pop(stream, None)

    def record_position(self, tracking: Tracking) -> None:
        """Record a tracking position with no new events (relay, dispatchers)."""
        self.recorder.insert_events([], tracking=tracking)

    def position(self, name: str) -> int:
        return self.recorder.max_tracking_id(name) or 0

    def position_of_log(self) -> int:
        """The newest notification id (0 for an empty store)."""
        return self.recorder.max_notification_id() or 0
