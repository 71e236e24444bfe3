"""Staff who reconcile a day: the money this store saw move, matched against the gateway's list.

Auditors and the Ministry's departments reconcile the whole country; a unit, its own fees."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from uuid import UUID

from dvc_kernel.auth.access import in_units
from dvc_kernel.auth.principal import Principal, Role
from dvc_kernel.clock import VIETNAM
from dvc_kernel.refusal import Kind, Refusal
from dvc_kernel.store_commands import store_command

from ..domain.channels import ChannelUnavailable, PaymentGateway
from ..domain.fee import Fee, MoneyReceived
from ..domain.reconciliation import Movement, Report, reconcile
from .base import PaymentBase

MINISTRY_UNIT = re.compile(r"^[A-Z]\d{2}$")  # a department of the Ministry, e.g. C06
# Days the platform can have payments on: nothing before it, nothing this century does not reach.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)


def sees_every_unit(principal: Principal) -> bool:
    """Auditors and the Ministry's departments reconcile the whole country; a unit, its own."""
    return principal.role is Role.AUDITOR or any(MINISTRY_UNIT.match(u) for u in principal.units)


def reconciliation_day(day: str) -> date:
    try:
        when = date.fromisoformat(day)
    except ValueError:
        raise Refusal(
            "invalid_day", "Ngày đối soát phải có dạng NNNN-TT-NN (năm-tháng-ngày).", Kind.INVALID
        ) from None
    if not FIRST_DAY <= when <= LAST_DAY:  # year 1 reached the gateway, which choked on it
        raise Refusal(
            "day_out_of_range",
            f"Ngày đối soát phải từ {FIRST_DAY:%d/%m/%Y} đến {LAST_DAY:%d/%m/%Y}.",
            Kind.INVALID,
        )
    return when


class Reconciliation(PaymentBase):
    async def reconciliation(self, when: date, principal: Principal, gateway: PaymentGateway) -> Report:
        """The day's payments and refunds, ours against the gateway's, as `principal` may see them."""
        try:
            theirs = await gateway.transactions(when)
        except ChannelUnavailable:
            raise Refusal(
                "gateway_unavailable",
                "Không lấy được danh sách giao dịch từ cổng thanh toán; vui lòng thử lại sau.",
                Kind.UNAVAILABLE,
            ) from None
        scoped = await self.movements_by_unit(when)
        if sees_every_unit(principal):
            ours = [movement for movement, _ in scoped]
        else:
            ours = [movement for movement, unit in scoped if in_units(principal, unit)]
            # The gateway's lines of this unit's fees only; a line nobody here knows is for the
            # Ministry and the auditors to chase.
            keys = {movement.key for movement in ours}
            theirs = [line for line in theirs if line.key in keys]
        return reconcile(when, ours, theirs)

    @store_command
    def movements_by_unit(self, day: date) -> list[tuple[Movement, str | None]]:
        """`movements`, each with the unit handling its dossier (scoping the reconciliation)."""
        units: dict[UUID, str | None] = {}
        found: list[tuple[Movement, str | None]] = []
        for fee_id, movement in self._movements(day):
            if fee_id not in units:
                fee: Fee = self.repository.get(fee_id)
                units[fee_id] = fee.unit_code
            found.append((movement, units[fee_id]))
        return found

    def _movements(self, day: date) -> Iterator[tuple[UUID, Movement]]:
        for e in self._events_of(Fee.Paid, Fee.PaidNotKept, Fee.Refunded):
            if isinstance(e, Fee.Refunded):
                kind, at, transaction_ref = "refund", e.refunded_at, e.refund_ref
            elif isinstance(e, MoneyReceived):
                kind, at, transaction_ref = "payment", e.paid_at, e.transaction_ref
            else:
                continue
            if at.astimezone(VIETNAM).date() == day:
                yield e.originator_id, Movement(e.method, kind, e.txn_ref, transaction_ref, e.amount_vnd, at)
