"""Notify's policy: turn public events into messages for the citizen, and record sending."""

from __future__ import annotations

from importlib.resources import files
from typing import Any
from uuid import UUID

import yaml
from eventsourcing.application import AggregateNotFoundError, ProcessingEvent
from eventsourcing.persistence import Tracking

from dvc_contracts.dossier import Submitted
from dvc_kernel.application import Incoming, ServiceApplication

from .domain.conversation import Conversation
from .domain.templates import Templates
from .steps import step_message


def load_templates() -> Templates:
    raw: dict[str, Any] = yaml.safe_load(
        files("dvc_notify").joinpath("data/templates.yaml").read_text(encoding="utf-8")
    )
    return Templates(sms=raw["sms"])


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
        elif (step := step_message(payload)) is not None:
            template, params = step
            conversation = self.conversation(payload.dossier_id)  # type: ignore[attr-defined]
            conversation.request_sms(
                message_id=f"{incoming.envelope.event_id}:sms",
                template=template,
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
