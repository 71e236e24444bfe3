"""Everything notify tells one citizen about one dossier.

Events about a dossier can reach notify before the citizen's contact does (they come on
different topics), so a request waits here until the contact is known; then its messages are
queued once: an SMS always, an e-mail too when the applicant gave an address.

In the usual order (the submission first) a conversation opens knowing the contact, and each
later step is one event (`Told`: what was asked and the messages queued for it). The finer
events (`ApplicantKnown`, `Requested`, `MessagesQueued`) tell the other orders.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, TypedDict
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from .message import Message, message_id
from .sms import QUIET_HOURS, QuietHours, send_not_before
from .templates import Templates

# Enough to refuse what no SMTP server would take; the server judges the rest.
EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")


class Conversation(Aggregate):
    @event("Opened")
    def __init__(self, id: UUID, contact: dict[str, Any] | None = None) -> None:
        self.contact: dict[str, Any] | None = contact
        self.requested: dict[str, dict[str, Any]] = {}
        self.queued: dict[str, list[str]] = {}

    @classmethod
    def opened_by_submission(cls, id: UUID, contact: Contact) -> Conversation:
        """A conversation that opens with the applicant's contact (the submission came first)."""
        return cls(id=id, contact=dict(contact))

    @property
    def messages(self) -> list[UUID]:
        return [UUID(m) for ids in self.queued.values() for m in ids]

    class ApplicantKnown(Aggregate.Event):
        """The contact, learnt after some request (the submission came later)."""

        phone: str
        full_name: str
        email: str | None
        dossier_code: str
        owner_account: str
        unit_code: str | None

        def apply(self, conversation: Any) -> None:
            conversation.contact = {name: getattr(self, name) for name in Contact.__annotations__}

    def learn_applicant(
        self,
        contact: Contact,
        *,
        templates: Templates,
        at: datetime,
        trace: dict[str, str] | None = None,
        quiet: QuietHours | None = QUIET_HOURS,
    ) -> list[Message]:
        """The applicant's contact, from the submission; returns the messages now queued
        (`trace`: the trace context they are queued in, opaque here)."""
        if self.contact is None:
            self.trigger_event(self.ApplicantKnown, **contact)
        return self._queue_waiting(templates, at, quiet, trace)

    def request(
        self,
        source_event_id: str,
        template: str,
        params: dict[str, str],
        attach_result_sha256: str | None,
        templates: Templates,
        at: datetime,
        trace: dict[str, str] | None = None,
        quiet: QuietHours | None = QUIET_HOURS,
    ) -> list[Message]:
        """Tell the citizen about an event (once per event); returns the messages now queued.
        SMS that are not urgent wait for the end of `quiet` hours (None: sent at any hour)."""
        if source_event_id in self.requested:
            return self._queue_waiting(templates, at, quiet, trace)
        if self.contact is None or self._waiting:
            self._requested(
                source_event_id=source_event_id,
                template=template,
                params=params,
                attach_result_sha256=attach_result_sha256,
            )
            return self._queue_waiting(templates, at, quiet, trace)
        request = {"template": template, "params": params, "attach_result_sha256": attach_result_sha256}
        messages = self._render(source_event_id, request, self.contact, templates, at, quiet, trace)
        self._told(
            source_event_id=source_event_id,
            template=template,
            params=params,
            attach_result_sha256=attach_result_sha256,
            message_ids=[str(m.id) for m in messages],
        )
        return messages

    @property
    def unit_code(self) -> str | None:
        return self.contact["unit_code"] if self.contact else None

    @property
    def _waiting(self) -> bool:
        """Requests made before the contact was known, not queued yet."""
        return any(source not in self.queued for source in self.requested)

    def _queue_waiting(
        self,
        templates: Templates,
        at: datetime,
        quiet: QuietHours | None,
        trace: dict[str, str] | None = None,
    ) -> list[Message]:
        contact = self.contact
        if contact is None:
            return []
        new: list[Message] = []
        for source, request in self.requested.items():
            if source in self.queued:
                continue
            messages = self._render(source, request, contact, templates, at, quiet, trace)
            self._queued(source_event_id=source, message_ids=[str(m.id) for m in messages])
            new.extend(messages)
        return new

    def _render(
        self,
        source: str,
        request: dict[str, Any],
        contact: dict[str, Any],
        templates: Templates,
        at: datetime,
        quiet: QuietHours | None,
        trace: dict[str, str] | None = None,
    ) -> list[Message]:
        template: str = request["template"]
        params = {
            "full_name": contact["full_name"],
            "dossier_code": contact["dossier_code"],
            **request["params"],
        }
        common: dict[str, Any] = {
            "dossier_id": self.id,
            "dossier_code": params["dossier_code"],
            "owner_account": contact["owner_account"],
            "source_event_id": source,
            "template": template,
            "at": at,
            "trace_context": trace,
        }
        sms = Message(
            id=message_id(source, "sms", template),
            channel="sms",
            recipient=contact["phone"],
            subject=None,
            text=templates.render_sms(template, params),
            attach_result_sha256=None,
            not_before=send_not_before(at, template, quiet),
            **common,
        )
        if not contact["email"]:
            return [sms]
        mail = templates.render_email(template, params)
        email = Message(
            id=message_id(source, "email", template),
            channel="email",
            recipient=contact["email"],
            subject=mail.subject,
            text=mail.body,
            attach_result_sha256=request["attach_result_sha256"],
            **common,
        )
        return [sms, email]

    @event("Requested")
    def _requested(
        self, source_event_id: str, template: str, params: dict[str, str], attach_result_sha256: str | None
    ) -> None:
        self.requested[source_event_id] = {
            "template": template,
            "params": params,
            "attach_result_sha256": attach_result_sha256,
        }

    @event("MessagesQueued")
    def _queued(self, source_event_id: str, message_ids: list[str]) -> None:
        self.queued[source_event_id] = message_ids

    @event("Told")
    def _told(
        self,
        source_event_id: str,
        template: str,
        params: dict[str, str],
        attach_result_sha256: str | None,
        message_ids: list[str],
    ) -> None:
        self.requested[source_event_id] = {
            "template": template,
            "params": params,
            "attach_result_sha256": attach_result_sha256,
        }
        self.queued[source_event_id] = message_ids


class Contact(TypedDict):
    """Whom to tell about a dossier, and how: what the submission says of its applicant."""

    phone: str
    full_name: str
    email: str | None  # only an address an SMTP server could take
    dossier_code: str
    owner_account: str
    unit_code: str | None


def contact(
    phone: str,
    full_name: str,
    email: str | None,
    dossier_code: str,
    owner_account: str,
    unit_code: str | None,
) -> Contact:
    usable = email.strip() if email and EMAIL.match(email.strip()) else None
    return Contact(
        phone=phone,
        full_name=full_name,
        email=usable,
        dossier_code=dossier_code,
        owner_account=owner_account,
        unit_code=unit_code,
    )
