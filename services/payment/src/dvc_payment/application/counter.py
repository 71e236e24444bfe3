"""The officer at the counter of the unit handling a dossier: records the fee paid there
(level 3), by its receipt number."""

from __future__ import annotations

from eventsourcing.persistence import IntegrityError

from dvc_kernel.auth.access import DossierScope, can_change_dossier
from dvc_kernel.auth.principal import Principal, Role
from dvc_kernel.meta import CommandMeta
from dvc_kernel.refusal import Kind, Refusal
from dvc_kernel.store_commands import store_command

from ..domain.fee import Fee, Index
from .base import PaymentBase, fee_not_found


class Counter(PaymentBase):
    @store_command
    def counter_receipt(
        self, code: str, principal: Principal, receipt_number: str, amount_vnd: int, meta: CommandMeta
    ) -> Fee:
        fee = self.fee_by_code(code)
        if fee is None:
            raise fee_not_found()
        if principal.role not in (Role.OFFICER, Role.SUPERVISOR) or not can_change_dossier(
            principal, DossierScope(fee.owner_account, fee.unit_code)
        ):
            raise Refusal(
                "not_your_unit",
                "Chỉ cán bộ của đơn vị giải quyết hồ sơ mới được thu lệ phí.",
                Kind.FORBIDDEN,
            )
        fee.pay_at_counter(receipt_number, amount_vnd, self.clock.now(), meta.as_dict())
        receipt = Index(
            id=Fee.receipt_index_id(fee.unit_code or "", receipt_number),
            name=receipt_number,
            dossier_id=fee.id,
        )
        try:
            self.save(fee, receipt)
        except IntegrityError:
            raise Refusal(
                "receipt_taken",
                "Số biên lai này đã được ghi nhận, hoặc hồ sơ vừa được cập nhật.",
                Kind.CONFLICT,
            ) from None
        return fee
