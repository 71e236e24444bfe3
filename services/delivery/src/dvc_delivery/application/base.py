"""What every part of delivery's application shares: its collaborators, the catalog look-ups,
and finding a dossier's delivery for whoever asks."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from dvc_calendar import WorkingCalendar, packaged_calendar
from dvc_contracts.catalog import ProcedureVersionPublished
from dvc_kernel.auth.access import DossierScope, can_read_dossier
from dvc_kernel.auth.principal import APPLICANT_ROLES, Principal, Role
from dvc_kernel.catalog_application import CatalogAwareApplication
from dvc_kernel.catalog_replica import CatalogReplica
from dvc_kernel.clock import Clock
from dvc_kernel.refusal import Kind, Refusal

from ..adapters.rules import pickup_rules, postal_rules
from ..adapters.signing import UnitSigner
from ..domain.pickup import PickupRules
from ..domain.postal import PostalRules
from ..domain.result_delivery import Lookup, ResultDelivery, dossier_code_index_id


def dossier_not_found() -> Refusal:
    # Also someone else's dossier: "not found", so dossier ids cannot be probed.
    return Refusal("dossier_not_found", "Không tìm thấy hồ sơ.", Kind.NOT_FOUND)


class DeliveryBase(CatalogAwareApplication):
    subject_field = "dossier_id"  # events about a dossier may arrive before its Submitted

    def __init__(
        self,
        env: dict[str, str] | None = None,
        *,
        signer: UnitSigner,
        verify_url: str,
        clock: Clock | None = None,
        catalog: CatalogReplica | None = None,
        pickup: PickupRules | None = None,
        postal: PostalRules | None = None,
        calendar: WorkingCalendar | None = None,
    ) -> None:
        super().__init__(env, clock=clock, catalog=catalog)
        self.signer = signer
        self.verify_url = verify_url  # the public verification page, with {code}
        self.pickup = pickup or pickup_rules()
        self.postal = postal or postal_rules()
        self.calendar = calendar or packaged_calendar()

    # -- catalog look-ups -------------------------------------------------------------------

    def version(self, delivery: ResultDelivery) -> ProcedureVersionPublished | None:
        return self.catalog.version(delivery.procedure_code, delivery.procedure_version)

    def level(self, delivery: ResultDelivery) -> int:
        version = self.version(delivery)
        return version.level if version else 3  # unknown: check the most, as for level 3

    def procedure_name(self, delivery: ResultDelivery) -> str:
        version = self.version(delivery)
        return f"{version.name} ({delivery.procedure_code})" if version else delivery.procedure_code

    def unit_name(self, unit_code: str | None) -> str:
        unit = self.catalog.units.get(unit_code or "")
        return unit.name if unit else (unit_code or "Bộ Công an")

    def unit_province(self, delivery: ResultDelivery) -> str | None:
        unit = self.catalog.units.get(delivery.unit_code or "")
        return unit.province_code if unit else None

    def postal_fee(self, delivery: ResultDelivery) -> int | None:
        """What the applicant pays the post: the fee of the shipment once requested, else the
        quote for the address known now (None when none is)."""
        if delivery.tracking_number or delivery.shipping_address:
            return delivery.postal_fee_vnd
        address = delivery.address
        if address is None:
            return None
        return self.postal.fee(address, self.unit_province(delivery))

    # -- finding a delivery -----------------------------------------------------------------

    def delivery(self, dossier_id: UUID) -> ResultDelivery | None:
        return self.find(ResultDelivery, dossier_id)

    def looked_up(self, index_id: UUID) -> ResultDelivery | None:
        lookup = self.find(Lookup, index_id)
        return self.delivery(lookup.dossier_id) if lookup is not None else None

    def resolve(self, reference: str) -> UUID:
        """The dossier id a route names: its dossier code, as every other service takes it, or
        (for links made before codes were accepted) its id."""
        try:
            return UUID(reference)
        except ValueError:
            pass
        lookup = self.find(Lookup, dossier_code_index_id(reference.strip()))
        if lookup is None:
            raise dossier_not_found()
        return lookup.dossier_id

    def readable(self, dossier_id: UUID, principal: Principal) -> ResultDelivery:
        """The dossier's delivery, if the caller is its owner or staff of its unit."""
        delivery = self.delivery(dossier_id)
        if delivery is None:
            raise dossier_not_found()
        scope = DossierScope(owner=delivery.owner_account, unit=delivery.unit_code)
        if not can_read_dossier(principal, scope) or principal.role is Role.AUDITOR:
            raise dossier_not_found()
        return delivery

    def owned(self, dossier_id: UUID, principal: Principal) -> ResultDelivery:
        """The dossier's delivery, if the caller is its owner."""
        delivery = self.delivery(dossier_id)
        if delivery is None:
            raise dossier_not_found()
        if principal.role not in APPLICANT_ROLES or principal.subject != delivery.owner_account:
            raise dossier_not_found()
        return delivery

    def save_or_conflict(self, *aggregates: Any) -> None:
        try:
            self.save(*aggregates)
        except IntegrityError:
            raise Refusal(
                "concurrent_change",
                "Dữ liệu vừa được cập nhật bởi người khác. Vui lòng thử lại.",
                Kind.CONFLICT,
            ) from None
