"""Dead letters: consumed messages an inbox gave up on (ADR 0020).

A message whose application keeps failing (a policy raises for it every time, or it cannot be
decoded) would hold up its partition for good: everything behind it waits. After
`max_attempts` failures of that very message, the inbox *sets it aside*: in one store
transaction it records a `DeadLetter` (the whole record: topic, partition, offset, key,
headers, value, and the error) and the tracking record of the message's stream at the
message's position. So the partition moves on, and a redelivery of the message (or of any
copy of it) is recognised as done and never applied by accident later. A crash before that
transaction leaves the message to be tried again; after it, the message is done: neither lost
nor set aside twice. The relay then publishes the letter like any other event of the store, on
`dlq.<group>.v1` (its stream positions make a second copy harmless).

Operators list the letters that wait for them, and replay one (its event applied by the
service's policy now, in one transaction with the letter's `Replayed`, so twice is
impossible) or discard it with a reason (`dvc-dead-letters`, docs/operations.md).
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import IntegrityError, Tracking
from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from dvc_contracts import Envelope
from dvc_contracts.inbox import InboxDeadLetter, RecordHeader
from dvc_contracts.registry import payload_of
from dvc_contracts.topics import dead_letter_topic

from .application import Collecting, Incoming, ServiceApplication
from .attribute_views import view_of
from .auth.fastapi import require_roles
from .auth.principal import Principal, Role
from .envelopes import Outgoing, Translate
from .refusal import Kind, Refusal
from .telemetry.metrics import DEAD_LETTERS
from .threads import in_store

log = logging.getLogger(__name__)

_NS = uuid5(NAMESPACE_URL, "https://dichvucong.bocongan.gov.vn/dead-letter")
# Lookup rows of the letters still waiting for an operator: ("dead-letter", "", letter id).
PENDING = "dead-letter"
MAX_ERROR = 2000  # characters of the error kept (a traceback-sized message stays readable)


class CannotApply(Exception):
    """Raised by a policy for a message that no retry will make applicable (its content is out
    of every range the rules know): the inbox sets it aside at the first attempt."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def pending_row(letter_id: UUID) -> tuple[str, str, str]:
    return (PENDING, "", str(letter_id))


class DeadLetter(Aggregate):
    """One consumed record set aside, and what an operator made of it."""

    class Filed(Aggregate.Created):
        group: str
        topic: str
        partition: int
        offset: int
        key_b64: str | None
        value_b64: str
        headers: list[list[str]]
        error: str
        attempts: int

    class Replayed(Aggregate.Event):
        by: str

    class Discarded(Aggregate.Event):
        by: str
        reason: str

    @staticmethod
    def id_for(group: str, topic: str, partition: int, offset: int) -> UUID:
        return uuid5(_NS, f"{group}:{topic}:{partition}:{offset}")

    @event(Filed)
    def __init__(
        self,
        id: UUID,
        group: str,
        topic: str,
        partition: int,
        offset: int,
        key_b64: str | None,
        value_b64: str,
        headers: list[list[str]],
        error: str,
        attempts: int,
    ) -> None:
        self.group = group
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key_b64 = key_b64
        self.value_b64 = value_b64
        self.headers = headers
        self.error = error
        self.attempts = attempts
        self.status = "pending"
        self.resolution = ""

    @event(Replayed)
    def replayed(self, by: str) -> None:
        self.status = "replayed"
        self.resolution = f"replayed by {by}"

    @event(Discarded)
    def discarded(self, by: str, reason: str) -> None:
        self.status = "discarded"
        self.resolution = f"discarded by {by}: {reason}"

    @property
    def value(self) -> bytes:
        return base64.b64decode(self.value_b64)

    @property
    def event_type(self) -> str | None:
        for name, value in self.headers:
            if name == "event_type":
                return base64.b64decode(value).decode("utf-8", "replace")
        return None


def set_aside(
    app: ServiceApplication,
    record: Any,
    group: str,
    stream: str,
    position: int,
    error: BaseException,
    attempts: int,
) -> bool:
    """Record `record` as a dead letter together with its stream's tracking record, in one
    transaction. False when the stream is already past it (applied meanwhile, e.g. by another
    instance): nothing is then written."""
    if app.tracked(stream) >= position:
        return False
    headers: Sequence[tuple[str, bytes]] = record.headers or ()
    letter = DeadLetter(
        id=DeadLetter.id_for(group, record.topic, record.partition, record.offset),
        group=group,
        topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        key_b64=_b64(record.key) if getattr(record, "key", None) is not None else None,
        value_b64=_b64(record.value or b""),
        headers=[[name, _b64(value or b"")] for name, value in headers],
        error=f"{type(error).__name__}: {error}"[:MAX_ERROR],
        attempts=attempts,
    )
    processing_event = Collecting(tracking=Tracking(stream, position))
    processing_event.collect_events(letter, lookups=[pending_row(letter.id)])
    try:
        app.record_tracked(processing_event)
    except IntegrityError:
        app.forget_tracked(stream)
        if app.tracked(stream) >= position:
            return False  # another instance applied or set it aside first
        raise
    DEAD_LETTERS.add(1, {"group": group, "topic": record.topic})
    return True


def translating_dead_letters(translate: Translate, service: str) -> Translate:
    """The service's translation, plus its dead letters onto `dlq.<group>.v1`."""

    def translate_with_dead_letters(domain_event: Any) -> Outgoing | None:
        if isinstance(domain_event, DeadLetter.Filed):
            return _outgoing(domain_event, service)
        if isinstance(domain_event, DeadLetter.Replayed | DeadLetter.Discarded):
            return None  # operators' decisions stay in the store (and its audit log)
        return translate(domain_event)

    return translate_with_dead_letters


def _outgoing(filed: Any, service: str) -> Outgoing:
    letter_id: UUID = filed.originator_id
    headers = [RecordHeader(name=name, value_b64=value) for name, value in filed.headers]
    event_type = next(
        (base64.b64decode(v).decode("utf-8", "replace") for n, v in filed.headers if n == "event_type"),
        None,
    )
    payload = InboxDeadLetter(
        dead_letter_id=letter_id,
        group=filed.group,
        service=service,
        original_topic=filed.topic,
        original_partition=filed.partition,
        original_offset=filed.offset,
        key_b64=filed.key_b64,
        value_b64=filed.value_b64,
        headers=headers,
        event_type_header=event_type,
        error=filed.error,
        attempts=filed.attempts,
        dead_lettered_at=filed.timestamp,
    )
    # Keyed by the letter: a topic's hash chains are per subject (the original key is in it).
    return Outgoing(dead_letter_topic(filed.group), str(letter_id), payload, occurred_at=filed.timestamp)


# -- operators ---------------------------------------------------------------------------------


class NotPending(Exception):
    """The letter was replayed or discarded already."""


class StillFailing(Exception):
    """Replaying the letter failed again: it stays set aside."""


def pending(app: ServiceApplication) -> list[DeadLetter]:
    letters: list[DeadLetter] = [app.repository.get(UUID(v)) for v in app.lookup(PENDING, "")]
    return sorted(letters, key=lambda letter: letter.created_on)


def get(app: ServiceApplication, letter_id: UUID) -> DeadLetter:
    letter: Any = app.repository.get(letter_id)
    if not isinstance(letter, DeadLetter):
        raise AggregateNotFoundError(letter_id)
    return letter


def replay(app: ServiceApplication, letter_id: UUID, by: str) -> DeadLetter:
    """Apply the letter's event now, in one transaction with its `Replayed`. The stream's
    tracking record stays where it is: the message was done when it was set aside, and this is
    its only application."""
    letter = get(app, letter_id)
    if letter.status != "pending":
        raise NotPending(letter.status)
    processing_event = Collecting()
    try:
        envelope = Envelope.model_validate_json(letter.value)
        app.policy(Incoming(envelope, payload_of(envelope)), processing_event)
    except Exception as error:
        raise StillFailing(f"{type(error).__name__}: {error}") from error
    letter.replayed(by)
    processing_event.collect_events(letter, unlookups=[pending_row(letter.id)])
    try:
        app.record_tracked(processing_event)
    except IntegrityError as error:  # replayed or discarded concurrently, or a case changed
        raise NotPending("changed meanwhile; try again") from error
    return letter


def discard(app: ServiceApplication, letter_id: UUID, by: str, reason: str) -> DeadLetter:
    letter = get(app, letter_id)
    if letter.status != "pending":
        raise NotPending(letter.status)
    letter.discarded(by, reason)
    try:
        app.save(letter, unlookups=[pending_row(letter.id)])
    except IntegrityError as error:
        raise NotPending("changed meanwhile; try again") from error
    return letter


class DeadLetterView(BaseModel):
    id: UUID = Field(description="The letter's id.")
    group: str = Field(description="Consumer group that set it aside.")
    topic: str = Field(description="Topic it was consumed from.")
    partition: int = Field(description="Its partition.")
    offset: int = Field(description="Its offset.")
    event_type: str | None = Field(description="Its `event_type` header.")
    error: str = Field(description="The last error (English).")
    attempts: int = Field(description="Attempts made before it was set aside.")
    dead_lettered_at: datetime = Field(description="When (UTC).")
    status: Literal["pending", "replayed", "discarded"] = Field(description="What became of it.")
    resolution: str = Field(description="Who replayed or discarded it, and why.")

    @classmethod
    def of(cls, letter: DeadLetter) -> DeadLetterView:
        return view_of(cls, letter, dead_lettered_at=letter.created_on)


class Discarding(BaseModel):
    reason: str = Field(min_length=1, max_length=500, description="Why it is discarded.")


Operator = Annotated[Principal, Depends(require_roles(Role.OPERATOR))]


def router(app: ServiceApplication) -> APIRouter:
    api = APIRouter(prefix="/v1/ops/dead-letters", tags=["ops"])

    def found(letter_id: UUID) -> DeadLetter:
        try:
            return get(app, letter_id)
        except AggregateNotFoundError:
            raise Refusal("dead_letter.not_found", "Không tìm thấy thư lỗi này.", Kind.NOT_FOUND) from None

    def handled_already(error: NotPending) -> Refusal:  # replay and discard alike
        return Refusal("dead_letter.not_pending", f"Thư lỗi này đã được xử lý ({error}).", Kind.CONFLICT)

    @api.get("", summary="Consumed messages set aside, waiting for an operator")
    async def list_pending(_: Operator) -> list[DeadLetterView]:
        return [DeadLetterView.of(letter) for letter in await in_store(pending, app)]

    @api.get("/{letter_id}", summary="One dead letter")
    async def show(letter_id: UUID, _: Operator) -> DeadLetterView:
        return DeadLetterView.of(await in_store(found, letter_id))

    @api.post("/{letter_id}/replay", summary="Apply the message now; it stays set aside if it fails")
    async def replay_one(letter_id: UUID, operator: Operator) -> DeadLetterView:
        await in_store(found, letter_id)
        try:
            letter = await in_store(replay, app, letter_id, operator.subject)
        except NotPending as error:
            raise handled_already(error) from error
        except StillFailing as error:
            raise Refusal(
                "dead_letter.still_failing",
                "Vẫn chưa áp dụng được thông điệp.",
                Kind.CONFLICT,
                error=str(error),
            ) from error
        log.warning("dead letter %s replayed by %s", letter_id, operator.subject)
        return DeadLetterView.of(letter)

    @api.post("/{letter_id}/discard", summary="Give up on the message, with a reason")
    async def discard_one(letter_id: UUID, body: Discarding, operator: Operator) -> DeadLetterView:
        await in_store(found, letter_id)
        try:
            letter = await in_store(discard, app, letter_id, operator.subject, body.reason)
        except NotPending as error:
            raise handled_already(error) from error
        log.warning("dead letter %s discarded by %s", letter_id, operator.subject)
        return DeadLetterView.of(letter)

    return api
