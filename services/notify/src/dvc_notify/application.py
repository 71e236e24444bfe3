"""Notify's policy and records: public events become queued messages; outcomes are recorded.

Consuming an event and queuing its messages commit together with the inbox's tracking record
(exactly once). Sending happens outside that transaction, in the dispatcher, which records
each outcome on the message afterwards; the providers deduplicate by message id, so a send
repeated after a crash reaches the citizen once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from importlib.resources import files
from typing import Any, TypeVar
from uuid import UUID

import yaml
from eventsourcing.application import AggregateNotFoundError, ProcessingEvent
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError

from dvc_contracts.dossier import Submitted
from dvc_kernel.application import Incoming, ServiceApplication
from dvc_kernel.catalog_replica import CatalogReplica
from dvc_kernel.clock import Clock, SystemClock

from .domain.conversation import Conversation
from .domain.mailbox import Mailbox
from .domain.message import Message, RetryPolicy
from .domain.templates import Templates
from .steps import step_message

log = logging.getLogger(__name__)

A = TypeVar("A", bound=Aggregate)


def load_templates() -> Templates:
    raw: dict[str, Any] = yaml.safe_load(
        files("dvc_notify").joinpath("data/templates.yaml").read_text(encoding="utf-8")
    )
    return Templates.from_data(raw)


@dataclass(frozen=True)
class InboxEntry:
    message_id: UUID
    dossier_id: UUID
    dossier_code: str
    template: str
    channel: str
    status: str
    summary: str
    queued_at: datetime
    sent_at: datetime | None
    delivered_at: datetime | None


class NotifyApplication(ServiceApplication):
    name = "notify"

    def __init__(
        self,
        env: dict[str, str] | None = None,
        templates: Templates | None = None,
        clock: Clock | None = None,
        retry: RetryPolicy | None = None,
        catalog: CatalogReplica | None = None,
    ) -> None:
        super().__init__(env)
        self.templates = templates or load_templates()
        self.clock = clock or SystemClock()
        self.retry = retry or RetryPolicy()
        self.catalog = catalog

    # --- consumed events -------------------------------------------------------------------

    def on_incoming(self, incoming: Incoming, processing_event: ProcessingEvent[UUID]) -> None:
        payload = incoming.payload
        now = self.clock.now()
        if isinstance(payload, Submitted):
            conversation = self.conversation(payload.dossier_id)
            applicant = payload.applicant
            new = conversation.learn_applicant(
                phone=applicant.phone,
                full_name=applicant.full_name,
                email=applicant.email,
                dossier_code=payload.dossier_code,
                owner_account=payload.owner_account,
                unit_code=payload.unit_code,
                templates=self.templates,
                at=now,
            )
            mailbox = self._get(Mailbox, Mailbox.id_for(payload.owner_account))
            if mailbox is None:
                mailbox = Mailbox(
                    id=Mailbox.id_for(payload.owner_account), owner_account=payload.owner_account
                )
            mailbox.add(payload.dossier_id)
            processing_event.collect_events(conversation, mailbox, *new)
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
        )
        processing_event.collect_events(conversation, *new)

    def _place_of(self, conversation: Conversation) -> Callable[[str | None], str]:
        def place(unit_code: str | None) -> str:
            code = unit_code or conversation.unit_code
            unit = self.catalog.units.get(code) if self.catalog and code else None
            return unit.name if unit else str(self.templates.labels["unknown_unit"])

        return place

    # --- queries ---------------------------------------------------------------------------

    def _get(self, kind: type[A], aggregate_id: UUID) -> A | None:
        try:
            found: Aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        return found if isinstance(found, kind) else None

    def conversation(self, dossier_id: UUID) -> Conversation:
        return self._get(Conversation, dossier_id) or Conversation(id=dossier_id)

    def message(self, message_id: UUID) -> Message | None:
        return self._get(Message, message_id)

    def inbox(self, owner_account: str, limit: int = 100) -> list[InboxEntry]:
        """The account's messages, newest first."""
        mailbox = self._get(Mailbox, Mailbox.id_for(owner_account))
        if mailbox is None:
            return []
        entries: list[InboxEntry] = []
        for dossier in mailbox.dossiers:
            conversation = self._get(Conversation, UUID(dossier))
            for message_id in conversation.messages if conversation else []:
                message = self.message(message_id)
                if message is not None and message.owner_account == owner_account:
                    entries.append(_entry(message))
        entries.sort(key=lambda e: (e.queued_at, e.channel), reverse=True)
        return entries[:limit]

    # --- outcomes of sending ---------------------------------------------------------------

    def record_sent(self, message_id: UUID, provider_ref: str, receipt: str | None = None) -> Message:
        """The provider took the message; `receipt` when taking it is the delivery receipt (SMTP)."""
        now = self.clock.now()

        def command(message: Message) -> None:
            message.sent(provider_ref, now)
            if receipt is not None:
                message.receipt(True, receipt, provider_ref, now)

        return self._update(message_id, command)

    def record_failure(self, message_id: UUID, error: str) -> Message:
        now = self.clock.now()
        return self._update(message_id, lambda message: message.fail(error, now, self.retry))

    def record_receipt(self, message_ref: str, delivered: bool, detail: str, provider_ref: str) -> bool:
        """A provider's delivery receipt; False for a reference that is not one of our queued
        messages (one-time codes are sent without a stored message)."""
        try:
            message_id = UUID(message_ref)
        except ValueError:
            return False
        if self.message(message_id) is None:
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


def _entry(message: Message) -> InboxEntry:
    return InboxEntry(
        message_id=message.id,
        dossier_id=message.dossier_id,
        dossier_code=message.dossier_code,
        template=message.template,
        channel=message.channel,
        status=message.status,
        summary=message.subject or message.text,
        queued_at=message.queued_at,
        sent_at=message.sent_at,
        delivered_at=message.delivered_at,
    )
