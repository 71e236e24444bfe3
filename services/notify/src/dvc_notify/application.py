"""Notify's policy: turn public events into messages for the citizen, and record sending."""

from __future__ import annotations

from datetime import datetime
from importlib.resources import files
from typing import Any
from uuid import UUID

import yaml
from eventsourcing.application import AggregateNotFoundError, ProcessingEvent
from eventsourcing.persistence import Tracking

from dvc_contracts.dossier import Received, Submitted
from dvc_kernel.application import Incoming, ServiceApplication
from dvc_kernel.clock import VIETNAM

from .domain.conversation import Conversation
from .domain.templates import Templates


def load_templates() -> Templates:
    raw: dict[str, Any] = yaml.safe_load(
        files("dvc_notify").joinpath("data/templates.yaml").read_text(encoding="utf-8")
    )
    return Templates(sms=raw["sms"])


def _when(instant: datetime) -> str:
    """An instant as Vietnamese citizens read it: local time, then the date."""
    return instant.astimezone(VIETNAM).strftime("%H:%M ngày %d/%m/%Y")


class SmsWasSent:
    """Our own queued SMS, sent by the dispatcher: recorded with the dispatcher's tracking."""

    def __init__(self, conversation_id: UUID, message_id: str, provider_ref: str) -> None:
        self.conversation_id = conversation_id
        self.message_id = message_id
        self.provider_ref = provider_ref


class NotifyApplication(ServiceApplication):
    name = "notify"

    def __init__(self, env: dict[str, str] | None = None, templates: Templates | None = None) -> None:
        super().__init__(env)
        self.templates = templates or load_templates()

    def conversation(self, dossier_id: UUID) -> Conversation:
        try:
            found: Conversation = self.repository.get(dossier_id)
        except AggregateNotFoundError:
            return Conversation(id=dossier_id)
        return found

    def on_incoming(self, incoming: Incoming, processing_event: ProcessingEvent[UUID]) -> None:
        payload = incoming.payload
        if isinstance(payload, Submitted):
            conversation = self.conversation(payload.dossier_id)
            applicant = payload.applicant
            conversation.learn_contact(applicant.phone, applicant.full_name, applicant.email, self.templates)
            processing_event.collect_events(conversation)
        elif isinstance(payload, Received):
            conversation = self.conversation(payload.dossier_id)
            params = {"dossier_code": payload.dossier_code, "received_at": _when(payload.received_at)}
            if payload.due_at is not None:
                params["due_at"] = _when(payload.due_at)
            conversation.request_sms(
                message_id=f"{incoming.envelope.event_id}:sms",
                template="dossier_received" if payload.due_at else "dossier_received_no_due",
                params=params,
                templates=self.templates,
            )
            processing_event.collect_events(conversation)

    def record_sent(self, sent: SmsWasSent, tracking: Tracking) -> None:
        conversation = self.conversation(sent.conversation_id)
        conversation.mark_sent(sent.message_id, sent.provider_ref)
        processing_event: ProcessingEvent[UUID] = ProcessingEvent(tracking=tracking)
        processing_event.collect_events(conversation)
        self._record(processing_event)
