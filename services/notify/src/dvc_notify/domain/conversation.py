"""Everything notify tells one citizen about one dossier.

Events about a dossier can reach notify before the citizen's contact does (they come on
different topics), so a request waits here until the contact is known; then its messages are
queued once: an SMS always, an e-mail too when the applicant gave an address.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from .message import Message, message_id
from .templates import Templates

# Enough to refuse what no SMTP server would take; the server judges the rest.
EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")


class Conversation(Aggregate):
    @event("Opened")
    def __init__(self, id: UUID) -> None:
        self.contact: dict[str, Any] | None = None
        self.requested: dict[str, dict[str, Any]] = {}
        self.queued: dict[str, list[str]] = {}

    @property
    def messages(self) -> list[UUID]:
        return [UUID(m) for ids in self.queued.values() for m in ids]

    def learn_applicant(
        self,
        *,
        phone: str,
        full_name: str,
        email: str | None,
        dossier_code: str,
        owner_account: str,
        unit_code: str | None,
        templates: Templates,
        at: datetime,
    ) -> list[Message]:
        """The applicant's contact, from the submission; returns the messages now queued."""
        if self.contact is None:
            usable = email.strip() if email and EMAIL.match(email.strip()) else None
            self._applicant_known(
                phone=phone,
                full_name=full_name,
                email=usable,
                dossier_code=dossier_code,
                owner_account=owner_account,
                unit_code=unit_code,
            )
        return self._queue_waiting(templates, at)

    def request(
        self,
        source_event_id: str,
        template: str,
        params: dict[str, str],
        attach_result_sha256: str | None,
        templates: Templates,
        at: datetime,
    ) -> list[Message]:
        """Tell the citizen about an event (once per event); returns the messages now queued."""
        if source_event_id not in self.requested:
            self._requested(
                source_event_id=source_event_id,
                template=template,
                params=params,
                attach_result_sha256=attach_result_sha256,
            )
        return self._queue_waiting(templates, at)

    @property
    def unit_code(self) -> str | None:
        return self.contact["unit_code"] if self.contact else None

    def _queue_waiting(self, templates: Templates, at: datetime) -> list[Message]:
        contact = self.contact
        if contact is None:
            return []
        new: list[Message] = []
        for source, request in self.requested.items():
            if source in self.queued:
                continue
            messages = self._render(source, request, contact, templates, at)
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
        }
        sms = Message(
            id=message_id(source, "sms", template),
            channel="sms",
            recipient=contact["phone"],
            subject=None,
            text=templates.render_sms(template, params),
            attach_result_sha256=None,
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

    @event("ApplicantKnown")
    def _applicant_known(
        self,
        phone: str,
        full_name: str,
        email: str | None,
        dossier_code: str,
        owner_account: str,
        unit_code: str | None,
    ) -> None:
        self.contact = {
            "phone": phone,
            "full_name": full_name,
            "email": email,
            "dossier_code": dossier_code,
            "owner_account": owner_account,
            "unit_code": unit_code,
        }

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
