"""What payment needs from a payment channel, so another gateway or bank can be plugged in."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from .reconciliation import Movement


@dataclass(frozen=True)
class Order:
    """One attempt to pay one dossier's fee."""

    txn_ref: str
    amount_vnd: int
    info: str  # shown to the payer
    return_url: str
    client_ip: str
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class Notification:
    """A channel's signed word that an order was paid (or not)."""

    txn_ref: str
    amount_vnd: int
    succeeded: bool
    transaction_ref: str  # the channel's own transaction number
    paid_at: datetime
    response_code: str
    fields: Mapping[str, str] = field(default_factory=dict)


class NotificationRefused(Exception):
    """Not a notification we can act on: forged, incomplete or malformed."""

    def __init__(self, reason: str, detail: str, txn_ref: str | None = None) -> None:
        super().__init__(detail)
        self.reason = reason  # forged | incomplete | malformed | wrong_merchant
        self.detail = detail
        self.txn_ref = txn_ref


@dataclass(frozen=True)
class RefundOrder:
    request_id: str  # the same for every retry of one refund, so the channel pays back once
    txn_ref: str
    amount_vnd: int
    transaction_ref: str
    paid_at: datetime
    reason: str
    requested_at: datetime


@dataclass(frozen=True)
class RefundResult:
    done: bool
    refund_ref: str
    refunded_at: datetime | None
    code: str
    message: str


class ChannelUnavailable(Exception):
    """The channel did not answer (network, 5xx, a reply that fails its checksum)."""


class PaymentGateway(Protocol):
    """A card/account gateway with a redirect page and a server-to-server notification."""

    def payment_url(self, order: Order) -> str: ...

    def read_notification(self, params: Mapping[str, str]) -> Notification:
        """Raises `NotificationRefused` when it cannot be trusted."""
        ...

    async def refund(self, order: RefundOrder) -> RefundResult: ...

    async def transactions(self, day: date) -> list[Movement]:
        """The channel's transaction list for the day, as lines to reconcile ours against."""
        ...


class TransferBank(Protocol):
    """The bank account that receives VietQR transfers, and pays them back."""

    def read_notification(self, body: bytes, signature: str | None) -> Notification: ...

    async def refund(self, order: RefundOrder) -> RefundResult: ...
