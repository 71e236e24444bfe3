"""Post (bưu chính công ích): the address from the dossier or the citizen, the fee the applicant
pays (Decision 45/2016), the post's signed tracking updates, retries and the return to the unit."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import httpx
from eventsourcing.persistence import Tracking

from dvc_contracts.delivery import DeliveryFailed, ReadyForPickup, ResultDelivered, ResultDispatched
from dvc_delivery.adapters import postal_protocol as protocol
from dvc_delivery.adapters.rules import postal_rules

from .conftest import POSTAL_SECRET, World

BA_DINH = {
    "recipient": "Nguyễn Thị Hoa",
    "phone": "0912345678",
    "street": "Số 12 phố Đội Cấn",
    "commune": "Phường Ba Đình",
    "province": "Thành phố Hà Nội",
}


class Post:
    """Plays the postal operator's side by hand: orders and signed webhooks."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.position = 0
        self.seq: dict[str, int] = {}

    def accept(self, dossier_id: UUID, fee: int = 26000) -> str:
        tracking = f"EB{dossier_id.int % 10**9:09d}VN"
        self.position += 1
        position = Tracking("postal-dispatcher", self.position)
        self.world.app.record_order.sync(dossier_id, tracking, fee, position)
        return tracking

    def report(
        self, tracking: str, status: str, attempt: int = 1, detail: str = "", seq: int | None = None
    ) -> httpx.Response:
        if seq is None:
            seq = self.seq.get(tracking, 0) + 1
        self.seq[tracking] = max(seq, self.seq.get(tracking, 0))
        body = json.dumps(
            {
                "tracking_number": tracking,
                "seq": seq,
                "status": status,
                "detail": detail or f"Trạng thái {status}",
                "attempt": attempt,
                "occurred_at": datetime(2026, 11, 24, 2, 0, tzinfo=UTC).isoformat(),
            }
        ).encode()
        headers = {protocol.SIGNATURE_HEADER: protocol.sign(body, POSTAL_SECRET)}
        return self.world.client.post(protocol.WEBHOOK_PATH, content=body, headers=headers)


def status(world: World, dossier_id: UUID) -> dict[str, Any]:
    answer = world.client.get(f"/v1/results/{dossier_id}", headers=world.owner())
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()
    return result


def test_the_result_is_posted_to_the_address_in_the_form_for_the_tariffs_fee(world: World) -> None:
    dossier_id = world.submit(mode="post")
    world.issue(dossier_id, "post")

    waiting = status(world, dossier_id)
    tracking = Post(world).accept(dossier_id)

    assert waiting["status"] == "shipment_requested"
    assert {k: waiting["address"][k] for k in BA_DINH} == BA_DINH
    assert waiting["postal_fee_vnd"] == postal_rules().fee_same_province  # within Hà Nội
    dispatched = world.published(dossier_id)[0]
    assert isinstance(dispatched, ResultDispatched)
    assert dispatched.channel == "post" and dispatched.tracking_number == tracking
    assert dispatched.address is not None and dispatched.address.model_dump() == BA_DINH
    assert dispatched.postal_fee_vnd == 26000


def test_a_delivered_parcel_is_delivered_once_and_its_updates_kept(world: World) -> None:
    dossier_id = world.submit(mode="post")
    world.issue(dossier_id, "post")
    post = Post(world)
    tracking = post.accept(dossier_id)

    post.report(tracking, "accepted")
    post.report(tracking, "in_transit")
    delivered = post.report(tracking, "delivered", detail="Đã phát thành công cho người nhận")
    repeated = post.report(tracking, "delivered", seq=3)

    assert delivered.json() == {"kept": True} and repeated.json() == {"kept": False}
    assert world.types(dossier_id) == ["ResultDispatched", "ResultDelivered"]
    event = world.published(dossier_id)[1]
    assert isinstance(event, ResultDelivered) and event.detail == "Đã phát thành công cho người nhận"
    assert [u["status"] for u in status(world, dossier_id)["tracking"]] == [
        "accepted",
        "in_transit",
        "delivered",
    ]


def test_a_failed_attempt_is_retried_and_after_the_last_the_result_returns_to_the_unit(world: World) -> None:
    assert postal_rules().max_attempts == 2
    dossier_id = world.submit(mode="post")
    world.issue(dossier_id, "post")
    post = Post(world)
    tracking = post.accept(dossier_id)

    post.report(tracking, "failed", attempt=1, detail="Người nhận vắng nhà")
    assert status(world, dossier_id)["attempt"] == 2
    post.report(tracking, "failed", attempt=2, detail="Người nhận vắng nhà lần hai")

    published = world.published(dossier_id)
    assert [p.event_type for p in published] == [
        "ResultDispatched",
        "DeliveryFailed",
        "DeliveryFailed",
        "ReadyForPickup",
    ]
    first, last, ready = published[1], published[2], published[3]
    assert isinstance(first, DeliveryFailed) and (first.attempt, first.next_step) == (1, "retry")
    assert isinstance(last, DeliveryFailed) and (last.attempt, last.next_step) == (2, "returned_to_unit")
    assert isinstance(ready, ReadyForPickup) and ready.bring
    assert status(world, dossier_id)["status"] == "at_unit"


def test_a_webhook_without_the_operators_signature_is_refused(world: World) -> None:
    dossier_id = world.submit(mode="post")
    world.issue(dossier_id, "post")
    tracking = Post(world).accept(dossier_id)
    body = json.dumps(
        {
            "tracking_number": tracking,
            "seq": 1,
            "status": "delivered",
            "detail": "x",
            "attempt": 1,
            "occurred_at": "2026-11-24T09:00:00+07:00",
        }
    ).encode()

    unsigned = world.client.post(protocol.WEBHOOK_PATH, content=body)
    forged = world.client.post(
        protocol.WEBHOOK_PATH,
        content=body,
        headers={protocol.SIGNATURE_HEADER: protocol.sign(body, "guessed")},
    )

    assert unsigned.status_code == forged.status_code == 401
    assert world.types(dossier_id) == ["ResultDispatched"]


def test_without_an_address_the_result_waits_for_the_citizen_to_give_one(world: World) -> None:
    dossier_id = world.submit(mode="post", form_data={})
    world.issue(dossier_id, "post")
    assert status(world, dossier_id)["status"] == "awaiting_address"
    url = f"/v1/results/{dossier_id}/postal-address"
    address = {
        "recipient": "Trần Văn Minh",
        "phone": "0903123456",
        "street": "Số 5 đường Lê Lợi",
        "ward_code": "26743",
    }

    unknown_ward = world.client.post(url, json={**address, "ward_code": "99999"}, headers=world.owner())
    given = world.client.post(url, json=address, headers=world.owner())

    assert unknown_ward.status_code == 422 and unknown_ward.json()["code"] == "unknown_ward_code"
    assert given.status_code == 200, given.text
    assert given.json()["status"] == "shipment_requested"
    assert given.json()["address"]["commune"] == "Phường Bến Thành"
    assert given.json()["postal_fee_vnd"] == postal_rules().fee_other_province  # Hà Nội to Hồ Chí Minh City
    Post(world).accept(dossier_id, fee=38000)
    late = world.client.post(url, json=address, headers=world.owner())
    assert late.status_code == 409 and late.json()["code"] == "already_dispatched"


def test_an_address_given_before_the_result_is_issued_wins_over_the_form(world: World) -> None:
    dossier_id = world.submit(mode="post")
    address = {
        "recipient": "Nguyễn Thị Hoa",
        "phone": "0912345678",
        "street": "Số 5 đường Lê Lợi",
        "ward_code": "26743",
    }
    assert (
        world.client.post(
            f"/v1/results/{dossier_id}/postal-address", json=address, headers=world.owner()
        ).status_code
        == 200
    )

    world.issue(dossier_id, "post")

    assert status(world, dossier_id)["address"]["commune"] == "Phường Bến Thành"
    other = world.client.post(
        f"/v1/results/{dossier_id}/postal-address", json=address, headers=world.officer()
    )
    assert other.status_code == 403


def test_the_result_is_found_by_the_dossier_code_as_in_every_other_service(world: World) -> None:
    dossier_id = world.submit(mode="post")
    delivery = world.app.delivery(dossier_id)
    assert delivery is not None
    by_code = world.client.get(f"/v1/results/{delivery.dossier_code}", headers=world.owner())
    assert by_code.status_code == 200 and by_code.json()["dossier_id"] == str(dossier_id)
    assert by_code.json() == status(world, dossier_id)  # the id still works
    unknown = world.client.get("/v1/results/261123-000000-X", headers=world.owner())
    assert unknown.status_code == 404
    slots = world.client.get(f"/v1/pickup/{delivery.dossier_code}/slots", headers=world.owner())
    assert slots.status_code in (200, 409), slots.text  # found by code; a posted result has no slots
