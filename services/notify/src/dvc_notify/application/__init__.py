"""Notify's policy and records: public events become queued messages; outcomes are recorded.

Consuming an event and queuing its messages commit together with the inbox's tracking record
(exactly once). Sending happens outside that transaction, in the dispatcher, which records
each outcome on the message afterwards; the providers deduplicate by message id, so a send
repeated after a crash reaches the citizen once.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from importlib.resources import files
from typing import Any, TypeVar
from uuid import UUID

import yaml
from eventsourcing.application import AggregateNotFoundError, ProcessingEvent
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from dvc_contracts.dossier import Submitted
from dvc_kernel.application import Incoming, event_types
from dvc_kernel.catalog_application import CatalogAwareApplication
from dvc_kernel.catalog_replica import CatalogReplica
from dvc_kernel.clock import Clock
from dvc_kernel.store_commands import store_command
from dvc_kernel.telemetry import propagation

from ..domain.conversation import Conversation, contact
from ..domain.mailbox import MAILBOX, Mailbox, MailboxesMigrated
from ..domain.masking import without_recipient
from ..domain.message import Message, RetryPolicy
from ..domain.sms import QUIET_HOURS, QuietHours
from ..domain.steps import SPOKEN, step_message
from ..domain.templates import Templates
from .inbox_message import InboxMessage

log = logging.getLogger(__name__)

A = TypeVar("A", bound=Aggregate)


def load_templates() -> Templates:
    raw: dict[str, Any] = yaml.safe_load(
        files("dvc_notify").joinpath("data/templates.yaml").read_text(encoding="utf-8")
    )
    return Templates.from_data(raw)


# What a provider did with one message: (provider reference, receipt if taking it was the
# delivery, as with SMTP), or the error it raised.
Outcome = tuple[str, str | None] | Exception
Receipt = tuple[str, bool, str, str]  # (message reference, delivered, detail, provider reference)


class NotifyApplication(CatalogAwareApplication):
    name = "notify"
    handles = event_types(Submitted, *SPOKEN)

    def __init__(
        self,
        env: dict[str, str] | None = None,
        templates: Templates | None = None,
        clock: Clock | None = None,
        retry: RetryPolicy | None = None,
        catalog: CatalogReplica | None = None,
        quiet_hours: QuietHours | None = QUIET_HOURS,
    ) -> None:
        super().__init__(env, clock=clock, catalog=catalog)
        self.quiet_hours = quiet_hours  # None: SMS at any hour (development, tests, benchmark)
        self.templates = templates or load_templates()
        self.retry = retry or RetryPolicy()

    # --- consumed events -------------------------------------------------------------------

    def on_incoming(self, incoming: Incoming, processing_event: ProcessingEvent[UUID]) -> None:
        payload = incoming.payload
        now = self.clock.now()
        if isinstance(payload, Submitted):
            applicant = payload.applicant
            told = contact(
                applicant.phone,
                applicant.full_name,
                applicant.email,
                payload.dossier_code,
                payload.owner_account,
                payload.unit_code,
            )
            known = self._get(Conversation, payload.dossier_id)
            if known is None:  # the usual order: opened knowing whom to tell
                conversation = Conversation.opened_by_submission(payload.dossier_id, told)
                new: list[Message] = []
            else:
                conversation = known
                new = conversation.learn_applicant(
                    told, templates=self.templates, at=now, quiet=self.quiet_hours, trace=_trace_of(incoming)
                )
            row = (MAILBOX, payload.owner_account, str(payload.dossier_id))
            processing_event.collect_events(conversation, *new, lookups=[row])
            return
        dossier_id: UUID | None = getattr(payload, "dossier_id", None)
        if dossier_id is None:
            return
        conversation = self.conversation(dossier_id)
        step = step_message(payload, self.templates, self._place_of(conversation))
        if step is None:
            return
        new = conversation.request(
            str(incoming.envelope.event_id),
            step.template,
            step.params,
            step.attach_result_sha256,
            self.templates,
            now,
            quiet=self.quiet_hours,
            trace=_trace_of(incoming),
        )
        processing_event.collect_events(conversation, *new)

    def _place_of(self, conversation: Conversation) -> Callable[[str | None], str]:
        def place(unit_code: str | None) -> str:
            code = unit_code or conversation.unit_code
            unit = self.catalog.units.get(code) if code else None
            return unit.name if unit else str(self.templates.labels["unknown_unit"])

        return place

    # --- queries ---------------------------------------------------------------------------

    def migrate_mailboxes(self) -> int:
        """Turn each mailbox written before ADR 0018 (an aggregate growing with every dossier
        of an account) into lookup rows, once per store. Returns how many were migrated."""
        if self._get(MailboxesMigrated, MailboxesMigrated.ID) is not None:
            return 0
        opened = get_topic(Mailbox.Opened)  # type: ignore[attr-defined]  # made by @event
        count, after = 0, 0
        while batch := self.recorder.select_notifications(after + 1, 500, topics=[opened]):
            for notification in batch:
                mailbox = self._get(Mailbox, UUID(str(notification.originator_id)))
                if mailbox is not None:
                    rows = [(MAILBOX, mailbox.owner_account, d) for d in mailbox.dossiers]
                    self.save(lookups=rows)
                    count += 1
            after = batch[-1].id
        with contextlib.suppress(IntegrityError):  # another instance finished it first
            self.save(MailboxesMigrated(id=MailboxesMigrated.ID))
        return count

    def _get(self, kind: type[A], aggregate_id: UUID) -> A | None:
        try:
            found: Aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        return found if isinstance(found, kind) else None

    def knows(self, dossier_id: UUID) -> bool:
        """Whether notify has the dossier's conversation with its applicant (read-your-writes)."""
        found = self._get(Conversation, dossier_id)
        return found is not None and found.contact is not None

    def conversation(self, dossier_id: UUID) -> Conversation:
        return self._get(Conversation, dossier_id) or Conversation(id=dossier_id)

    def message(self, message_id: UUID) -> Message | None:
        return self._get(Message, message_id)

    @store_command
    def inbox(self, owner_account: str, limit: int = 100) -> list[InboxMessage]:
        """The account's messages, newest first, each read off as it stands now (the dispatcher
        goes on changing them)."""
        messages: list[Message] = []
        for dossier in self.lookup(MAILBOX, owner_account):
            conversation = self._get(Conversation, UUID(dossier))
            for message_id in conversation.messages if conversation else []:
                message = self.message(message_id)
                if message is not None and message.owner_account == owner_account:
                    messages.append(message)
        messages.sort(key=lambda m: (m.queued_at, m.channel), reverse=True)
        return [InboxMessage.of(message) for message in messages[:limit]]

    # --- outcomes of sending ---------------------------------------------------------------

    def record_outcomes(self, outcomes: Sequence[tuple[Message, Outcome]]) -> list[Message]:
        """What providers did with a wave of messages, in one transaction. Each message is the
        dispatcher's copy as last recorded; one changed meanwhile (a receipt overtook the send)
        is read again and the outcome applied to it. Returns the messages as now recorded."""
        now = self.clock.now()
        commands = [(message.id, self._outcome(outcome, now)) for message, outcome in outcomes]
        for (message, _), (_, command) in zip(outcomes, commands, strict=True):
            command(message)
        try:
            self.save(*(message for message, _ in outcomes))
        except IntegrityError:
            return [self._update(message_id, command) for message_id, command in commands]
        # An SMS taken by its provider gets a delivery receipt within seconds: kept in memory
        # as stored, the receipt need not read it back (a write meanwhile fails its save).
        self.repository.keep(m for m, _ in outcomes if m.status == "sent")  # type: ignore[attr-defined]
        return [message for message, _ in outcomes]

    def _outcome(self, outcome: Outcome, now: datetime) -> Callable[[Message], None]:
        if isinstance(outcome, Exception):
            return lambda message: message.fail(failure_text(outcome, message), now, self.retry)
        provider_ref, receipt = outcome

        def sent(message: Message) -> None:
            message.sent(provider_ref, now)
            if receipt is not None:
                message.receipt(True, receipt, provider_ref, now)

        return sent

    def record_receipts(self, receipts: Sequence[Receipt]) -> list[bool]:
        """Providers' delivery receipts, in one transaction (see `record_receipt`)."""
        now = self.clock.now()
        found: dict[UUID, Message] = {}
        known: list[bool] = []
        for message_ref, delivered, detail, provider_ref in receipts:
            message_id = _uuid(message_ref)
            message = found.get(message_id) if message_id else None
            if message is None and message_id is not None:
                message = self._awaiting_receipt(message_id) or self.message(message_id)
            known.append(message is not None)
            if message is not None and message_id is not None:
                message.receipt(delivered, detail, provider_ref, now)
                found[message_id] = message
        try:
            self.save(*found.values())
        except IntegrityError:  # a message changed meanwhile: one at a time
            return [self.record_receipt(*receipt) for receipt in receipts]
        return known

    def _awaiting_receipt(self, message_id: UUID) -> Message | None:
        kept = self.repository.take(message_id)  # type: ignore[attr-defined]
        return kept if isinstance(kept, Message) else None

    def record_receipt(self, message_ref: str, delivered: bool, detail: str, provider_ref: str) -> bool:
        """A provider's delivery receipt; False for a reference that is not one of our queued
        messages (one-time codes are sent without a stored message)."""
        message_id = _uuid(message_ref)
        if message_id is None or self.message(message_id) is None:
            return False
        now = self.clock.now()
        self._update(message_id, lambda message: message.receipt(delivered, detail, provider_ref, now))
        return True

    def _update(self, message_id: UUID, command: Callable[[Message], None], tries: int = 5) -> Message:
        """Apply `command` to the message and save; a concurrent writer (a receipt arriving
        while the dispatcher records the send) makes it reload and apply again."""
        for attempt in range(tries):
            message = self.message(message_id)
            if message is None:
                raise LookupError(f"no message {message_id}")
            command(message)
            try:
                self.save(message)
                return message
            except IntegrityError:
                if attempt == tries - 1:
                    raise
        raise AssertionError("unreachable")


def _uuid(text: str) -> UUID | None:
    try:
        return UUID(text)
    except ValueError:
        return None


def _trace_of(incoming: Incoming) -> dict[str, str]:
    """The trace messages queued now belong to: the consumer's span, or the event's own."""
    return propagation.current() or dict(incoming.envelope.trace_context)


def failure_text(error: Exception, message: Message) -> str:
    """An error as recorded on the message: never with the recipient in it."""
    return without_recipient(f"{type(error).__name__}: {error}"[:500], message.channel, message.recipient)
