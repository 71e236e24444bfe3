"""Delivery's domain events -> public contract events on delivery.result.v1."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dvc_contracts import EventPayload
from dvc_contracts.delivery import (
    Collected,
    DeliveryFailed,
    PickupBooked,
    PostalAddress,
    ReadyForPickup,
    ResultDelivered,
    ResultDispatched,
    ResultRecordRead,
)
from dvc_contracts.topics import DELIVERY_RESULT
from dvc_kernel.envelopes import Outgoing

from .domain.postal import contract_address
from .domain.read_log import ReadLog
from .domain.result_delivery import ResultDelivery as D


def _ids(e: Any) -> dict[str, object]:
    return {"dossier_id": e.originator_id, "dossier_code": e.dossier_code}


# domain event -> (payload maker, business time)
TRANSLATIONS: dict[type, tuple[Callable[[Any], EventPayload], Callable[[Any], Any]]] = {
    D.DocumentSigned: (
        lambda e: ResultDispatched(
            **_ids(e),
            channel="e_result",
            document_sha256=e.sha256,
            verification_code=e.verification_code,
            dispatched_at=e.signed_at,
        ),
        lambda e: e.signed_at,
    ),
    D.DocumentDownloaded: (
        lambda e: ResultDelivered(
            **_ids(e), channel="e_result", detail="Công dân đã tải bản điện tử của kết quả", delivered_at=e.at
        ),
        lambda e: e.at,
    ),
    D.ShipmentCreated: (
        lambda e: ResultDispatched(
            **_ids(e),
            channel="post",
            tracking_number=e.tracking_number,
            address=PostalAddress(**contract_address(e.address)),
            postal_fee_vnd=e.fee_vnd,
            dispatched_at=e.at,
        ),
        lambda e: e.at,
    ),
    D.ParcelDelivered: (
        lambda e: ResultDelivered(**_ids(e), channel="post", detail=e.detail, delivered_at=e.at),
        lambda e: e.at,
    ),
    D.AttemptFailed: (
        lambda e: DeliveryFailed(
            **_ids(e),
            channel="post",
            reason=e.reason,
            attempt=e.attempt,
            next_step=e.next_step,
            failed_at=e.at,
        ),
        lambda e: e.at,
    ),
    D.ReadyAtUnit: (
        lambda e: ReadyForPickup(**_ids(e), unit_code=e.unit_code, bring=e.bring, ready_at=e.at),
        lambda e: e.at,
    ),
    D.SlotBooked: (
        lambda e: PickupBooked(
            **_ids(e), unit_code=e.unit_code, slot_start=e.slot_start, slot_end=e.slot_end, booked_at=e.at
        ),
        lambda e: e.at,
    ),
    D.Collected: (
        lambda e: Collected(
            **_ids(e),
            unit_code=e.unit_code,
            id_checked=e.id_checked,
            originals_checked=e.originals_checked,
            collected_by=e.collected_by,
            collected_at=e.at,
        ),
        lambda e: e.at,
    ),
}


def translate_read(e: ReadLog.Read) -> Outgoing:
    payload = ResultRecordRead(
        dossier_id=e.dossier_id,
        dossier_code=e.dossier_code,
        viewer_id=e.viewer_id,
        viewer_role=e.viewer_role,
        viewer_units=e.viewer_units,
        token_id=e.token_id,
        what=e.what,
        read_at=e.at,
    )
    return Outgoing(DELIVERY_RESULT.name, str(e.originator_id), payload, occurred_at=e.at)


def translate(event: Any) -> Outgoing | None:
    if isinstance(event, ReadLog.Read):
        return translate_read(event)
    found = TRANSLATIONS.get(type(event))
    if found is None:
        return None  # registration, addresses, tracking details and look-ups stay inside
    make, when = found
    return Outgoing(DELIVERY_RESULT.name, str(event.originator_id), make(event), occurred_at=when(event))
