"""E-mail over SMTP (RFC 5321), with the standard library's client run off the event loop.

The server's reply to the message data (`250 … queued as …`) is its acceptance: notify records
it as the message's delivery receipt. Each e-mail carries `Message-ID: <message id@domain>`,
so a repeated send after a crash is recognisable as the same message (the development sink
keeps one copy per Message-ID).
"""

from __future__ import annotations

import asyncio
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Protocol

MESSAGE_ID_DOMAIN = "dichvucong.bocongan.gov.vn"


@dataclass(frozen=True)
class Attachment:
    filename: str
    media_type: str
    content: bytes


class EmailSender(Protocol):
    async def send(self, email: EmailMessage) -> str:
        """Hand one e-mail to the server; returns its acceptance reply (the receipt)."""
        ...


def compose(
    *,
    message_id: str,
    sender_name: str,
    sender_address: str,
    to: str,
    subject: str,
    body: str,
    attachments: Sequence[Attachment] = (),
    at: datetime | None = None,
) -> EmailMessage:
    email = EmailMessage()
    local, _, domain = sender_address.partition("@")
    email["From"] = Address(display_name=sender_name, username=local, domain=domain)
    email["To"] = to
    email["Subject"] = subject
    email["Date"] = format_datetime(at or datetime.now(UTC))
    email["Message-ID"] = f"<{message_id}@{MESSAGE_ID_DOMAIN}>"
    email.set_content(body)
    for attachment in attachments:
        maintype, _, subtype = attachment.media_type.partition("/")
        email.add_attachment(
            attachment.content, maintype=maintype, subtype=subtype, filename=attachment.filename
        )
    return email


class SmtpSender:
    def __init__(
        self,
        host: str,
        port: int,
        *,
        timeout: float = 30.0,
        starttls: bool = False,
        username: str | None = None,
        password: str | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.timeout = timeout
        self.starttls = starttls
        self.username = username
        self.password = password

    async def send(self, email: EmailMessage) -> str:
        return await asyncio.to_thread(self._send, email)

    def _send(self, email: EmailMessage) -> str:
        sender = str(email["From"].addresses[0].addr_spec)
        recipients = [str(a.addr_spec) for a in email["To"].addresses]
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            smtp.ehlo()
            if self.starttls:
                smtp.starttls()
                smtp.ehlo()
            if self.username:
                smtp.login(self.username, self.password or "")
            utf8 = any(not r.isascii() for r in recipients)
            code, reply = smtp.mail(sender, ["SMTPUTF8"] if utf8 else [])
            if code != 250:
                raise smtplib.SMTPSenderRefused(code, reply, sender)
            for recipient in recipients:
                code, reply = smtp.rcpt(recipient)
                if code not in (250, 251):
                    raise smtplib.SMTPRecipientsRefused({recipient: (code, reply)})
            code, reply = smtp.data(
                email.as_bytes(
                    policy=(policy.SMTPUTF8 if utf8 else policy.SMTP).clone(
                        # Python's folding of long encoded-word headers drops the space where it splits
                        # a Vietnamese subject; an unfolded header stays within RFC 5322's 998 limit.
                        max_line_length=998
                    )
                )
            )
            if code != 250:
                raise smtplib.SMTPDataError(code, reply)
        return f"{code} {reply.decode('utf-8', 'replace')}"
