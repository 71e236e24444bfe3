"""Recipients as they may appear outside notify's store: enough to recognise, not to contact."""

from __future__ import annotations


def mask_phone(phone: str) -> str:
    """`0912345678` -> `09******78`."""
    if len(phone) <= 4:
        return "*" * len(phone)
    return phone[:2] + "*" * (len(phone) - 4) + phone[-2:]


def mask_email(address: str) -> str:
    """`minh.nguyen@example.vn` -> `m***@example.vn`."""
    local, at, domain = address.partition("@")
    if not at:
        return "***"
    return f"{local[:1]}***@{domain}"


def mask(channel: str, recipient: str) -> str:
    return mask_email(recipient) if channel == "email" else mask_phone(recipient)


def without_recipient(text: str, channel: str, recipient: str) -> str:
    """An error text with the recipient masked (SMTP refusals quote the address)."""
    return text.replace(recipient, mask(channel, recipient)) if recipient else text
