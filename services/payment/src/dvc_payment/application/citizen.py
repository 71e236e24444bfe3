"""The citizen who filed a dossier: sees its fee and starts paying it online."""

from __future__ import annotations

from eventsourcing.persistence import IntegrityError

from dvc_kernel.auth.access import DossierScope, can_change_dossier, can_read_dossier
from dvc_kernel.auth.principal import Principal
from dvc_kernel.meta import CommandMeta
from dvc_kernel.refusal import Kind, Refusal
from dvc_kernel.store_commands import store_command

from ..domain.fee import Fee, Index
from .base import PaymentBase, fee_not_found


class Citizen(PaymentBase):
    @store_command
    def readable_fee(self, code: str, principal: Principal) -> Fee:
        fee = self.fee_by_code(code)
        # Someone else's dossier is "not found", so codes cannot be probed.
        if fee is None or not can_read_dossier(principal, DossierScope(fee.owner_account, fee.unit_code)):
            raise fee_not_found()
        return fee

    @store_command
    def start_payment(
        self, code: str, principal: Principal, method: str, meta: CommandMeta
    ) -> tuple[Fee, str]:
        """A new order for the dossier's fee; returns the fee and the order reference."""
        fee = self.fee_by_code(code)
        if fee is None or not can_change_dossier(principal, DossierScope(fee.owner_account, None)):
            raise fee_not_found()
        # VNPAY wants an alphanumeric vnp_TxnRef, unique per day; the attempt number keeps it unique.
        txn_ref = f"{code.replace('-', '')}{fee.attempt_number():02d}"
        fee.start(method, txn_ref, self.clock.now(), meta.as_dict())
        order = Index(id=Fee.order_index_id(txn_ref), name=txn_ref, dossier_id=fee.id)
        try:
            self.save(fee, order)
        except IntegrityError:
            raise Refusal(
                "concurrent_payment",
                "Một yêu cầu thanh toán khác vừa được tạo; vui lòng thử lại.",
                Kind.CONFLICT,
            ) from None
        return fee, txn_ref
