"""The citizen's commands: another postal address, a pickup slot booked (from the free slots
the unit offers, which its staff may read too)."""

from __future__ import annotations

from datetime import datetime

from dvc_calendar import load_office_hours
from dvc_kernel.auth.principal import Principal
from dvc_kernel.clock import VIETNAM
from dvc_kernel.meta import CommandMeta
from dvc_kernel.refusal import Kind, Refusal
from dvc_kernel.store_commands import store_command

from ..domain.pickup import SlotLedger, slot_id, slots
from ..domain.postal import postal_address
from ..domain.result_delivery import ResultDelivery
from ..domain.state import Address
from .base import DeliveryBase

Slot = tuple[datetime, datetime, int]  # start, end, places left


class Citizen(DeliveryBase):
    @store_command
    def give_address(
        self,
        reference: str,
        principal: Principal,
        recipient: str,
        phone: str,
        street: str,
        ward_code: str,
        meta: CommandMeta,
    ) -> ResultDelivery:
        """Post the result there; a result already waiting for an address goes out now."""
        dossier_id = self.resolve(reference)
        address = postal_address(recipient, phone, street, ward_code)
        if address is None:
            raise Refusal(
                "unknown_ward_code", "Mã xã, phường không đúng với danh mục đơn vị hành chính hiện hành."
            )
        delivery = self.owned(dossier_id, principal)
        now = self.clock.now()
        delivery.give_address(address, now, meta.as_dict())
        delivery.request_shipment(self._fee(delivery, address), now)
        self.save_or_conflict(delivery)
        return delivery

    def _fee(self, delivery: ResultDelivery, address: Address) -> int:
        return self.postal.fee(address, self.unit_province(delivery))

    @store_command
    def free_slots(self, reference: str, principal: Principal) -> list[Slot]:
        """Free slots at the dossier's unit, with the places left in each."""
        return self._free_slots(self.readable(self.resolve(reference), principal))

    def _free_slots(self, delivery: ResultDelivery) -> list[Slot]:
        version = self.version(delivery)
        saturday = bool(version and version.deadline.saturday_morning_reception)
        free = []
        for start, end in slots(
            self.clock.now().astimezone(VIETNAM),
            self.calendar,
            load_office_hours(delivery.unit_code),
            saturday,
            self.pickup,
        ):
            left = self.pickup.capacity - len(self._ledger(delivery.unit_code, start).dossiers)
            if left > 0:
                free.append((start, end, left))
        return free

    def _ledger(self, unit_code: str | None, start: datetime) -> SlotLedger:
        found = self.find(SlotLedger, slot_id(unit_code, start))
        if found is None:
            return SlotLedger(id=slot_id(unit_code, start), unit_code=unit_code, start=start)
        return found

    @store_command
    def book(
        self, reference: str, principal: Principal, start: datetime, meta: CommandMeta
    ) -> ResultDelivery:
        """Book one of the offered slots (moving an earlier booking), saved with the slot's ledger."""
        dossier_id = self.resolve(reference)
        delivery = self.owned(dossier_id, principal)
        offered = {s: e for s, e, _ in self._free_slots(self.readable(dossier_id, principal))}
        wanted = start.astimezone(VIETNAM)
        if wanted not in offered:
            raise Refusal(
                "slot_not_available",
                "Khung giờ này không có trong lịch tiếp nhận của đơn vị hoặc đã đủ người."
                " Vui lòng chọn khung khác.",
                Kind.CONFLICT,
            )
        ledger = self._ledger(delivery.unit_code, wanted)
        changed: list[ResultDelivery | SlotLedger] = [delivery, ledger]
        if delivery.slot is not None and delivery.slot[0] != wanted:
            previous = self._ledger(delivery.unit_code, delivery.slot[0])
            previous.release(delivery.id)
            changed.append(previous)
        ledger.take(delivery.id, self.pickup.capacity)
        delivery.book(wanted, offered[wanted], self.clock.now(), meta.as_dict())
        self.save_or_conflict(*changed)
        return delivery
