"""The inbox: each consumed public event is applied once (ADR 0006, 0018).

A FastStream batch subscriber hands the inbox up to `max_records` Kafka records at a time. The
inbox skips, by their `event_type` header and before decoding anything, the events its service
does not handle; decodes the rest; and applies them in one store transaction together with one
tracking record per stream it read. A stream is one producer store's messages on one partition
(`<topic>:<partition>:<store>`), its position the producer's notification id: a message at or
below the recorded position has been applied before (a redelivery, or a second copy the relay
sent before a crash) and changes nothing. Kafka offsets are committed after the transaction
at most every second (a failure seeks back and the records come again), never before.

If a batch cannot be applied whole (a policy fails, another writer changed a case meanwhile),
its records are applied one at a time instead, so the ones before a failing record are kept
and only that record is retried, with back-off, in place. Failures are counted per message
(topic, partition, offset); after `max_attempts` of them the message is set aside as a dead letter,
with its stream's tracking record in the same transaction, and the partition moves on
(dead_letters.py, ADR 0020). All of this is on the failure path: a batch that applies costs
what it did.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from eventsourcing.persistence import IntegrityError, Tracking

from dvc_contracts import Envelope
from dvc_contracts.registry import UnknownEventType, payload_of

from . import telemetry
from .application import Delivery, Incoming, OnFailure, ServiceApplication
from .dead_letters import CannotApply, set_aside

# The Kafka side has a module of its own; services import it from here, as they always have.
from .inbox_subscription import Offsets
from .inbox_subscription import subscribe as subscribe
from .relay import NOTIFICATION_ID, STORE
from .telemetry.metrics import CONFLICTS, PROCESSED, VIEW_LAG
from .threads import in_store

log = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 30.0
# Attempts at one message before it is set aside: with the back-off below (0.4 s, doubling),
# five attempts take about 6 s, which a passing conflict (another writer) never needs.
MAX_ATTEMPTS = int(os.environ.get("DVC_INBOX_MAX_ATTEMPTS", "5"))
FAILURES_KEPT = 1000  # messages whose failures are counted (heads of partitions, so few)


def tracking_for(topic: str, partition: int, offset: int) -> Tracking:
    """The tracking record of a message without relay headers: its offset in its partition."""
    # Offsets start at 0; tracking ids must be positive and increasing per partition.
    return Tracking(application_name=f"{topic}:{partition}", notification_id=offset + 1)


def stream_of(topic: str, partition: int, offset: int, headers: dict[str, bytes]) -> tuple[str, int]:
    """The stream a record belongs to and its position there."""
    store, notification = headers.get(STORE), headers.get(NOTIFICATION_ID)
    if store and notification:
        return f"{topic}:{partition}:{store.decode()}", int(notification)
    tracking = tracking_for(topic, partition, offset)
    return tracking.application_name, tracking.notification_id


@dataclass(frozen=True)
class Record:
    """What the inbox reads of a Kafka record (aiokafka's `ConsumerRecord` has the same)."""

    topic: str
    partition: int
    offset: int
    value: bytes
    headers: list[tuple[str, bytes]]
    key: bytes | None = None


class Undecodable(ValueError):
    """A record that is not an envelope of a known shape: it cannot be applied."""


class Inbox:
    def __init__(
        self,
        app: ServiceApplication,
        handles: Collection[str] | None = None,
        max_attempts: int = MAX_ATTEMPTS,
    ) -> None:
        """`handles`: the event types the service's policy reacts to (None: every type);
        `max_attempts`: failures of one message before it is set aside as a dead letter."""
        self.app = app
        self.max_attempts = max_attempts
        self.dead_letters = 0
        self.handles = frozenset(handles) if handles is not None else None
        self.applied = 0
        self.duplicates = 0
        self.skipped = 0
        self.batches = 0
        self._failures: dict[tuple[str, int, int], int] = {}
        self._conflicted: dict[tuple[str, int, int], bool] = {}  # met a concurrent write once
        self.subscribers: list[tuple[str, Any]] = []  # (consumer group, FastStream subscriber)
        self.offsets: list[Offsets] = []

    async def commit_offsets(self) -> None:
        """Commit what has been applied (before stopping)."""
        for offsets in self.offsets:
            await offsets.flush()

    # -- a batch of records ------------------------------------------------------------------

    async def deliver_records(self, records: Sequence[Any], group: str = "") -> None:
        """Apply a batch of Kafka records; raises (after backing off) if one cannot be applied
        yet, once those before it are. A record of `group` that failed `max_attempts` times is
        set aside instead (no group: tests and tools, retried for ever)."""
        if len(records) == 1:
            await self._deliver_record(records[0], group)
            return
        try:
            await in_store(self._apply_batch, records)
            return
        except (IntegrityError, Undecodable):
            pass  # applied one at a time below: the good records before the bad one are kept
        except Exception as error:
            log.warning("batch of %d could not be applied whole (%s); one at a time", len(records), error)
        for record in records:
            await self._deliver_record(record, group)

    def _apply_batch(self, records: Sequence[Any], on_failure: OnFailure | None = None) -> None:
        deliveries: list[Delivery] = []
        outcomes: Counter[tuple[str, str, str]] = Counter()
        for record in records:
            delivery = self._decode(record, outcomes)
            if delivery is not None:
                deliveries.append(delivery)
        if deliveries:
            result = self.app.process_batch(deliveries, on_failure)
            for delivery, applied in zip(deliveries, result.applied, strict=True):
                outcome = "applied" if applied else "duplicate"
                outcomes[(delivery.topic, delivery.incoming.envelope.event_type, outcome)] += 1
            self.duplicates += result.duplicates
            self.applied += len(deliveries) - result.duplicates
            newest = deliveries[-1]
            lag = time.time() - newest.incoming.envelope.occurred_at.timestamp()
            VIEW_LAG.record(max(lag, 0.0), {"view": "inbox", "topic": newest.topic})
        self.batches += 1
        _count(outcomes)

    def _decode(self, record: Any, outcomes: Counter[tuple[str, str, str]]) -> Delivery | None:
        headers = dict(record.headers or ())
        kind = headers.get("event_type")
        if kind is not None and self.handles is not None and kind.decode() not in self.handles:
            self.skipped += 1
            outcomes[(record.topic, kind.decode(), "skipped")] += 1
            return None  # not ours to react to: not even decoded
        try:
            envelope = Envelope.model_validate_json(record.value or b"")
        except Exception as error:
            raise Undecodable(f"{record.topic}:{record.partition}@{record.offset}: {error}") from error
        if self.handles is not None and envelope.event_type not in self.handles:
            self.skipped += 1
            outcomes[(record.topic, envelope.event_type, "skipped")] += 1
            return None
        try:
            payload = payload_of(envelope)
        except UnknownEventType:
            # A newer producer's event type: skipped, so the partition keeps moving.
            log.warning(
                "skipping unknown event type %s at %s:%d", envelope.event_type, record.topic, record.offset
            )
            self.skipped += 1
            outcomes[(record.topic, envelope.event_type, "skipped")] += 1
            return None
        stream, position = stream_of(record.topic, record.partition, record.offset, headers)
        return Delivery(
            Incoming(envelope, payload),
            stream,
            position,
            record.topic,
            record.partition,
            record.offset,
            record.headers,
        )

    # -- one record at a time ----------------------------------------------------------------

    async def _deliver_record(self, record: Any, group: str = "") -> None:
        key = (record.topic, record.partition, record.offset)
        delay = 0.0
        counted = False

        def back_off(what: str, error: Exception, *, traceback: bool) -> None:
            nonlocal delay, counted
            counted = True
            failures = self._failures.pop(key, 0) + 1
            self._failures[key] = failures  # per message: two failing ones keep their own count
            if len(self._failures) > FAILURES_KEPT:
                del self._failures[next(iter(self._failures))]
            delay = min(MAX_BACKOFF_SECONDS, 0.2 * 2**failures)
            log.error(
                "cannot apply %s at %s:%d@%d (attempt %d); retrying in %.1fs: %s",
                what,
                record.topic,
                record.partition,
                record.offset,
                failures,
                delay,
                error,
                exc_info=traceback,
            )
            telemetry.failed(error)

        def failed(delivery: Delivery, error: Exception) -> None:
            # Runs inside the event's span and log context, while the policy's error unwinds.
            if isinstance(error, IntegrityError):
                return  # a policy's own write met another writer: a conflict, handled below
            back_off(delivery.incoming.envelope.event_type, error, traceback=True)

        try:
            await in_store(self._apply_batch, [record], failed)
        except Exception as error:
            conflicted = isinstance(error, IntegrityError)
            if conflicted and not counted and not self._conflicted.pop(key, False):
                # Another writer changed a case this record changes (an officer's decision, a
                # payment's confirmation): expected, and gone when the record is applied again
                # at once from the store. Once: a warning and a count. Again: a failure.
                self._conflicted[key] = True
                conflict("inbox", record.topic, error)
                await self._deliver_record(record, group)  # once more, at once, from the store
                return
            if isinstance(error, Undecodable) and await in_store(self._done_before, record):
                self.duplicates += 1  # set aside before, and delivered again: never decodable
                return
            if not counted:  # a repeated conflict, undecodable, a payload breaking its contract
                back_off("the record", error, traceback=not (conflicted or isinstance(error, Undecodable)))
            if await self._give_up_or_wait(record, group, error, key, delay):
                return
            if self._again(group, key):
                await self._deliver_record(record, group)
                return
            raise
        self._failures.pop(key, None)
        self._conflicted.pop(key, None)

    def _done_before(self, record: Any) -> bool:
        """Whether the record's stream is past it (asked on the failure path only)."""
        stream, position = stream_of(
            record.topic, record.partition, record.offset, dict(record.headers or ())
        )
        return self.app.tracked(stream) >= position

    def _again(self, group: str, key: tuple[str, int, int]) -> bool:
        """Whether to try the record again here, at once after the back-off, rather than let
        the consumer seek back: a redelivery waits for the fetch in flight (up to its 10 s
        long poll), which made each attempt cost seconds. Only while it may still be set
        aside (its group known, attempts left); else the caller gives it back to Kafka."""
        return bool(group) and self._failures.get(key, 0) < self.max_attempts

    async def _give_up_or_wait(
        self, record: Any, group: str, error: Exception, key: tuple[str, int, int], delay: float
    ) -> bool:
        """True when the record was set aside (done); else after backing off."""
        attempts = self._failures.get(key, 0)
        give_up = bool(group) and (attempts >= self.max_attempts or _cannot_apply(error))
        if give_up and await self._set_aside(record, group, error, attempts):
            return True
        await asyncio.sleep(delay)
        return False

    async def _set_aside(self, record: Any, group: str, error: Exception, attempts: int) -> bool:
        """The failure path's end: the record becomes a dead letter and its partition moves on.
        False if that could not be written (it is then retried like before)."""
        headers = dict(record.headers or ())
        stream, position = stream_of(record.topic, record.partition, record.offset, headers)
        try:
            written = await in_store(set_aside, self.app, record, group, stream, position, error, attempts)
        except Exception as failure:
            where = f"{record.topic}:{record.partition}@{record.offset}"
            log.error("could not set aside %s: %s", where, failure)
            return False
        if not written:  # its stream is past it: applied or set aside before, a redelivery
            self.duplicates += 1
            self._failures.pop((record.topic, record.partition, record.offset), None)
            return True
        self._failures.pop((record.topic, record.partition, record.offset), None)
        self.dead_letters += 1
        log.error(
            "set aside %s:%d@%d as a dead letter of %s after %d attempts: %s",
            record.topic,
            record.partition,
            record.offset,
            group,
            attempts,
            error,
        )
        return True

    async def deliver_or_back_off(
        self,
        envelope: Envelope,
        topic: str,
        partition: int,
        offset: int,
        headers: Sequence[tuple[str, bytes]] | None = None,
    ) -> None:
        """One event, as if consumed at `topic:partition@offset` with `headers` (tests, tools)."""
        await self.deliver_records(
            [Record(topic, partition, offset, envelope.to_bytes(), list(headers or ()))]
        )

    async def deliver(self, envelope: Envelope, topic: str, partition: int, offset: int) -> bool:
        """Apply one event (tests, tools); False when it had been applied before."""
        tracking = tracking_for(topic, partition, offset)
        try:
            payload = payload_of(envelope)
        except UnknownEventType:
            log.warning("skipping unknown event type %s at %s", envelope.event_type, tracking)
            return False
        applied = await in_store(self.app.process_incoming, Incoming(envelope, payload), tracking)
        if applied:
            self.applied += 1
        else:
            self.duplicates += 1
        return applied


def conflict(where: str, what: str, error: Exception) -> None:
    """An optimistic-concurrency conflict that will be retried: one WARNING line without a
    traceback, and a count (issue 14: it was an ERROR with two tracebacks)."""
    CONFLICTS.add(1, {"where": where})
    log.warning("concurrent change at %s (%s); retrying: %s", where, what, str(error).splitlines()[0][:200])


def _cannot_apply(error: BaseException) -> bool:
    return isinstance(error, CannotApply) or isinstance(error.__cause__, CannotApply)


def _trace_of(record: Any) -> dict[str, str]:
    return telemetry.propagation.from_headers(record.headers)


def _count(outcomes: Counter[tuple[str, str, str]]) -> None:
    for (topic, event_type, outcome), count in outcomes.items():
        PROCESSED.add(count, {"topic": topic, "event_type": event_type, "outcome": outcome})
