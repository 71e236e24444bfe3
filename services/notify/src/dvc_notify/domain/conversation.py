"""Everything notify tells one citizen about one dossier.

Events about a dossier can reach notify before the citizen's contact does (they come on
different topics), so a request waits here until the contact is known; then the SMS is queued
once. A message id is derived from the event that caused it, so one event gives at most one
SMS per channel however often it is delivered.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from .templates import Templates


class Conversation(Aggregate):
    class SmsQueued(Aggregate.Event):
        message_id: str
        phone: str
        text: str

    class SmsSent(Aggregate.Event):
        message_id: str
        provider_ref: str

    @event("Opened")
    def __init__(self, id: UUID) -> None:
        self.contact: dict[str, Any] | None = None
        self.requested: dict[str, dict[str, Any]] = {}
        self.queued: set[str] = set()
        self.sent: dict[str, str] = {}

    def learn_contact(self, phone: str, full_name: str, email: str | None, templates: Templates) -> None:
        if self.contact is None:
            self._contact_known(phone=phone, full_name=full_name, email=email)
        self._queue_waiting(templates)

    def request_sms(
        self, message_id: str, template: str, params: dict[str, str], templates: Templates
    ) -> None:
        if message_id not in self.requested:
            self._requested(message_id=message_id, template=template, params=params)
        self._queue_waiting(templates)

    def mark_sent(self, message_id: str, provider_ref: str) -> None:
        if message_id not in self.sent:
            self._sent(message_id=message_id, provider_ref=provider_ref)

    def _queue_waiting(self, templates: Templates) -> None:
        if self.contact is None:
            return
        for message_id, request in self.requested.items():
            if message_id not in self.queued:
                params = {"full_name": self.contact["full_name"], **request["params"]}
                text = templates.render_sms(request["template"], params)
                self._queue(message_id=message_id, phone=self.contact["phone"], text=text)

    @event("ContactKnown")
    def _contact_known(self, phone: str, full_name: str, email: str | None) -> None:
        self.contact = {"phone": phone, "full_name": full_name, "email": email}

    @event("MessageRequested")
    def _requested(self, message_id: str, template: str, params: dict[str, str]) -> None:
        self.requested[message_id] = {"template": template, "params": params}

    @event(SmsQueued)
    def _queue(self, message_id: str, phone: str, text: str) -> None:
        self.queued.add(message_id)

    @event(SmsSent)
    def _sent(self, message_id: str, provider_ref: str) -> None:
        self.sent[message_id] = provider_ref
