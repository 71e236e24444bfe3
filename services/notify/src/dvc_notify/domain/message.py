"""One message to one citizen on one channel, from queued to delivered or given up.

Its id is derived from the event that caused it, the channel and the template, so however
often that event is delivered there is one message, and the providers (which deduplicate by
our message id) send it once. Each failed attempt schedules the next one further away
(exponential back-off); after the last allowed attempt notify gives up and the message goes
to the dead-letter topic with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

_NS = uuid5(NAMESPACE_URL, "https://dichvucong.bocongan.gov.vn/notify/message")

Channel = Literal["sms", "email"]
Status = Literal["queued", "retrying", "sent", "delivered", "dead_lettered"]


def message_id(source_event_id: UUID | str, channel: str, template: str) -> UUID:
    return uuid5(_NS, f"{source_event_id}:{channel}:{template}")


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently a message is tried."""

    max_attempts: int = 6
    first_delay_seconds: float = 2.0
    factor: float = 2.0
    max_delay_seconds: float = 600.0

    def delay_after(self, attempt: int) -> timedelta:
        """Wait after the `attempt`-th failure: first, first*factor, first*factor², … capped."""
        seconds = self.first_delay_seconds * self.factor ** (attempt - 1)
        return timedelta(seconds=min(seconds, self.max_delay_seconds))


class Message(Aggregate):
    class Queued(Aggregate.Created):
        dossier_id: UUID
        dossier_code: str
        owner_account: str | None
        source_event_id: str
        channel: str
        template: str
        recipient: str
        subject: str | None
        text: str
        attach_result_sha256: str | None
        at: datetime
        # W3C context of the work that queued it, so sending it later continues that trace
        # (absent from messages queued before it was recorded).
        trace_context: dict[str, str] | None
        # An SMS held through quiet hours (domain/sms.py); absent from events stored before.
        not_before: datetime | None = None

    class AttemptFailed(Aggregate.Event):
        attempt: int
        error: str
        at: datetime
        retry_at: datetime | None

    class Sent(Aggregate.Event):
        provider_ref: str
        attempt: int
        at: datetime

    class Delivered(Aggregate.Event):
        detail: str
        at: datetime

    class DeadLettered(Aggregate.Event):
        reason: str
        attempts: int
        at: datetime

    class DeadLetterFiled(Aggregate.Event):
        """The record for the dead-letter topic: every failure, for the operator."""

        reason: str
        failures: list[dict[str, Any]]
        at: datetime

    @event(Queued)
    def __init__(
        self,
        id: UUID,
        dossier_id: UUID,
        dossier_code: str,
        owner_account: str | None,
        source_event_id: str,
        channel: str,
        template: str,
        recipient: str,
        subject: str | None,
        text: str,
        attach_result_sha256: str | None,
        at: datetime,
        trace_context: dict[str, str] | None = None,
        not_before: datetime | None = None,
    ) -> None:
        self.dossier_id = dossier_id
        self.dossier_code = dossier_code
        self.owner_account = owner_account
        self.source_event_id = source_event_id
        self.channel = channel
        self.template = template
        self.recipient = recipient
        self.subject = subject
        self.text = text
        self.attach_result_sha256 = attach_result_sha256
        self.queued_at = at
        self.status: Status = "queued"
        self.attempts = 0
        self.next_attempt_at: datetime = not_before or at
        self.failures: list[dict[str, Any]] = []
        self.provider_ref: str | None = None
        self.sent_at: datetime | None = None
        self.delivered_at: datetime | None = None
        self.dead_reason: str | None = None
        self.trace_context = trace_context

    @property
    def settled(self) -> bool:
        """Nothing more to send: the provider has it, or notify gave up."""
        return self.status in ("sent", "delivered", "dead_lettered")

    def fail(self, error: str, at: datetime, policy: RetryPolicy) -> None:
        """An attempt failed: try again later, or give up after the last allowed attempt."""
        if self.settled:
            return
        attempt = self.attempts + 1
        if attempt >= policy.max_attempts:
            self._attempt_failed(attempt=attempt, error=error, at=at, retry_at=None)
            self._give_up(f"gave up after {attempt} attempts: {error}", at)
        else:
            retry_at = at + policy.delay_after(attempt)
            self._attempt_failed(attempt=attempt, error=error, at=at, retry_at=retry_at)

    def sent(self, provider_ref: str, at: datetime) -> None:
        if self.status in ("queued", "retrying"):
            self._sent(provider_ref=provider_ref, attempt=self.attempts + 1, at=at)

    def receipt(self, delivered: bool, detail: str, provider_ref: str, at: datetime) -> None:
        """The provider's delivery receipt. It may overtake our record of the send (the
        provider answers the callback before the dispatcher has written `Sent`): the receipt
        proves the send, so it is recorded first."""
        if self.status in ("delivered", "dead_lettered"):
            return
        self.sent(provider_ref, at)
        if delivered:
            self._delivered(detail=detail, at=at)
        else:
            self._give_up(f"provider reported it undelivered: {detail}", at)

    def _give_up(self, reason: str, at: datetime) -> None:
        self._dead_lettered(reason=reason, attempts=self.attempts, at=at)
        self._dead_letter_filed(reason=reason, failures=list(self.failures), at=at)

    @event(AttemptFailed)
    def _attempt_failed(self, attempt: int, error: str, at: datetime, retry_at: datetime | None) -> None:
        self.attempts = attempt
        self.failures.append({"attempt": attempt, "error": error, "at": at.isoformat()})
        self.status = "retrying"
        if retry_at is not None:
            self.next_attempt_at = retry_at

    @event(Sent)
    def _sent(self, provider_ref: str, attempt: int, at: datetime) -> None:
        self.attempts = attempt
        self.provider_ref = provider_ref
        self.sent_at = at
        self.status = "sent"

    @event(Delivered)
    def _delivered(self, detail: str, at: datetime) -> None:
        self.delivered_at = at
        self.status = "delivered"

    @event(DeadLettered)
    def _dead_lettered(self, reason: str, attempts: int, at: datetime) -> None:
        self.dead_reason = reason
        self.status = "dead_lettered"

    @event(DeadLetterFiled)
    def _dead_letter_filed(self, reason: str, failures: list[dict[str, Any]], at: datetime) -> None:
        pass
