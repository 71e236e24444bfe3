"""The unit officer's command: the result handed over at the counter."""

from __future__ import annotations

from dvc_kernel.auth.access import DossierScope, can_change_dossier
from dvc_kernel.auth.principal import Principal, Role
from dvc_kernel.meta import CommandMeta
from dvc_kernel.refusal import Kind, Refusal
from dvc_kernel.store_commands import store_command

from ..domain.result_delivery import ResultDelivery
from .base import DeliveryBase, dossier_not_found


class Officer(DeliveryBase):
    @store_command
    def collect(
        self,
        reference: str,
        principal: Principal,
        *,
        id_checked: bool,
        originals_checked: bool,
        collected_by: str,
        meta: CommandMeta,
    ) -> ResultDelivery:
        """Record the hand-over, after the ID (and for level 3 the originals) were checked."""
        delivery = self.delivery(self.resolve(reference))
        if delivery is None:
            raise dossier_not_found()
        scope = DossierScope(owner=delivery.owner_account, unit=delivery.unit_code)
        if principal.role not in (Role.OFFICER, Role.SUPERVISOR) or not can_change_dossier(principal, scope):
            raise Refusal(
                "not_your_unit",
                "Chỉ cán bộ của đơn vị trả kết quả mới được ghi nhận việc trao kết quả.",
                Kind.FORBIDDEN,
            )
        delivery.collect(
            id_checked,
            originals_checked,
            originals_required=self.level(delivery) <= 3,
            collected_by=collected_by,
            at=self.clock.now(),
            meta=meta.as_dict(),
        )
        self.save_or_conflict(delivery)
        return delivery
