"""Handing one queued message to its provider: the SMS gateway, or the SMTP server."""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.message import Message
from .email import Attachment, EmailSender, compose
from .results import ResultDocuments
from .sms import SmsGateway


@dataclass(frozen=True)
class Handed:
    provider_ref: str
    # Set when the provider's acceptance is itself the delivery receipt (SMTP).
    receipt: str | None = None


@dataclass(frozen=True)
class Sender:
    name: str
    address: str


class Channels:
    def __init__(self, sms: SmsGateway, email: EmailSender, results: ResultDocuments, sender: Sender) -> None:
        self.sms = sms
        self.email = email
        self.results = results
        self.sender = sender

    async def send(self, message: Message) -> Handed:
        if message.channel == "sms":
            return Handed(await self.sms.send(str(message.id), message.recipient, message.text))
        attachments = []
        if message.attach_result_sha256 is not None:
            pdf = await self.results.fetch(message.dossier_id, message.attach_result_sha256 or None)
            filename = f"ket-qua-{message.dossier_code}.pdf"
            attachments.append(Attachment(filename, "application/pdf", pdf))
        email = compose(
            message_id=str(message.id),
            sender_name=self.sender.name,
            sender_address=self.sender.address,
            to=message.recipient,
            subject=message.subject or "",
            body=message.text,
            attachments=attachments,
        )
        reply = await self.email.send(email)
        return Handed(provider_ref=reply, receipt=f"SMTP server accepted it: {reply}")
