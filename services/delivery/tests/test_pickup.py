"""Pickup: the citizen is told what to bring, books a slot of the unit's calendar, and an officer
hands the result over only after checking the ID card (and the originals, for level 3)."""

from __future__ import annotations

from datetime import date, datetime, time

import httpx

from dvc_calendar import load_office_hours, packaged_calendar
from dvc_contracts.delivery import Collected, PickupBooked, ReadyForPickup
from dvc_delivery.adapters.rules import pickup_rules
from dvc_delivery.domain.pickup import slots
from dvc_kernel.clock import VIETNAM

from .conftest import TOKENS, UNIT, World

ID_CARD = "Thẻ căn cước hoặc thẻ căn cước công dân còn hiệu lực của người đến nhận"
ORIGINALS = "Bản chính các giấy tờ đã tải lên khi nộp hồ sơ trực tuyến, để đối chiếu"
PROVINCE_UNIT = "CAT-01"  # Công an thành phố Hà Nội: identity cards (level 3)
ID_CARD_PROCEDURE = ("2.000200", 1)


def offered(now: datetime, saturday_morning: bool) -> list[tuple[datetime, datetime]]:
    return slots(now, packaged_calendar(), load_office_hours(UNIT), saturday_morning, pickup_rules())


def days(found: list[tuple[datetime, datetime]]) -> set[date]:
    return {start.date() for start, _ in found}


def test_slots_follow_reception_hours_and_start_after_the_lead_time() -> None:
    friday = datetime(2026, 11, 27, 10, 0, tzinfo=VIETNAM)

    found = offered(friday, saturday_morning=True)

    assert found[0] == (
        datetime(2026, 11, 27, 11, 0, tzinfo=VIETNAM),
        datetime(2026, 11, 27, 11, 30, tzinfo=VIETNAM),
    )
    assert all(end - start == found[0][1] - found[0][0] for start, end in found)
    friday_times = [s.time() for s, _ in found if s.date() == friday.date()]
    assert friday_times[1:3] == [time(13, 0), time(13, 30)]  # nothing in the lunch break
    saturday = [s for s, _ in found if s.date() == date(2026, 11, 28)]
    assert saturday and max(saturday).time() == time(11, 0)  # Saturday: the morning only
    assert date(2026, 11, 29) not in days(found)  # Sunday


def test_no_saturday_for_procedures_not_received_on_saturday_nor_on_holidays() -> None:
    found = offered(datetime(2026, 12, 28, 9, 0, tzinfo=VIETNAM), saturday_morning=False)

    assert date(2027, 1, 1) not in days(found)  # Tết Dương lịch
    assert all(s.weekday() < 5 for s, _ in found)


def test_the_citizen_is_told_the_result_waits_and_what_to_bring(world: World) -> None:
    level_4 = world.submit(mode="pickup")
    level_3 = world.submit(mode="pickup", procedure=ID_CARD_PROCEDURE, unit=PROVINCE_UNIT, form_data={})
    world.issue(level_4, "pickup")
    world.issue(level_3, "pickup")

    ready_4, ready_3 = world.published(level_4)[0], world.published(level_3)[0]

    assert isinstance(ready_4, ReadyForPickup) and isinstance(ready_3, ReadyForPickup)
    assert ready_4.unit_code == UNIT
    assert ID_CARD in ready_4.bring and ORIGINALS not in ready_4.bring
    assert ID_CARD in ready_3.bring and ORIGINALS in ready_3.bring


def test_a_booked_slot_is_published_and_shown(world: World) -> None:
    dossier_id = world.submit(mode="pickup")
    world.issue(dossier_id, "pickup")
    free = world.client.get(f"/v1/pickup/{dossier_id}/slots", headers=world.owner()).json()

    booked = world.client.post(
        f"/v1/pickup/{dossier_id}/booking", json={"slot_start": free[0]["start"]}, headers=world.owner()
    )

    assert booked.status_code == 200, booked.text
    assert booked.json()["slot_start"] is not None
    event = world.published(dossier_id)[-1]
    assert isinstance(event, PickupBooked)
    assert event.slot_start == datetime.fromisoformat(free[0]["start"])
    assert free[0]["start"].startswith("2026-11-23T13:00:00+07:00")


def test_booking_needs_a_ready_result_and_an_offered_slot(world: World) -> None:
    waiting = world.submit(mode="pickup")
    ready = world.submit(mode="pickup")
    world.issue(ready, "pickup")
    sunday = "2026-11-29T09:00:00+07:00"
    monday = "2026-11-30T08:00:00+07:00"

    early = world.client.post(
        f"/v1/pickup/{waiting}/booking", json={"slot_start": monday}, headers=world.owner()
    )
    closed = world.client.post(
        f"/v1/pickup/{ready}/booking", json={"slot_start": sunday}, headers=world.owner()
    )
    stranger = world.client.post(
        f"/v1/pickup/{ready}/booking", json={"slot_start": monday}, headers=TOKENS.headers("citizen")
    )

    assert early.status_code == 409 and early.json()["code"] == "not_ready_for_pickup"
    assert closed.status_code == 409 and closed.json()["code"] == "slot_not_available"
    assert stranger.status_code == 404
    assert world.types(ready) == ["ReadyForPickup"]


def test_a_full_slot_takes_no_more_bookings(world: World) -> None:
    slot = "2026-11-30T08:00:00+07:00"
    capacity = pickup_rules().capacity
    dossiers = [world.submit(mode="pickup") for _ in range(capacity + 1)]
    for dossier_id in dossiers:
        world.issue(dossier_id, "pickup")

    answers = [
        world.client.post(f"/v1/pickup/{d}/booking", json={"slot_start": slot}, headers=world.owner())
        for d in dossiers
    ]

    assert [a.status_code for a in answers] == [200] * capacity + [409]
    free = world.client.get(f"/v1/pickup/{dossiers[-1]}/slots", headers=world.owner()).json()
    assert slot not in [s["start"] for s in free]


def test_rebooking_frees_the_earlier_slot(world: World) -> None:
    dossier_id = world.submit(mode="pickup")
    world.issue(dossier_id, "pickup")
    first, second = "2026-11-30T08:00:00+07:00", "2026-11-30T08:30:00+07:00"
    url = f"/v1/pickup/{dossier_id}/booking"

    assert world.client.post(url, json={"slot_start": first}, headers=world.owner()).status_code == 200
    assert world.client.post(url, json={"slot_start": second}, headers=world.owner()).status_code == 200

    free = {
        s["start"]: s["places_left"]
        for s in world.client.get(f"/v1/pickup/{dossier_id}/slots", headers=world.owner()).json()
    }
    assert free[first] == pickup_rules().capacity
    assert free[second] == pickup_rules().capacity - 1


def collect(world: World, dossier_id: object, unit: str = UNIT, **body: object) -> httpx.Response:
    payload = {"id_checked": True, "originals_checked": False, "collected_by": "Nguyễn Thị Hoa", **body}
    return world.client.post(f"/v1/pickup/{dossier_id}/collected", json=payload, headers=world.officer(unit))


def test_collection_needs_the_id_card_checked(world: World) -> None:
    dossier_id = world.submit(mode="pickup")
    world.issue(dossier_id, "pickup")

    refused = collect(world, dossier_id, id_checked=False)
    handed = collect(world, dossier_id)
    twice = collect(world, dossier_id)

    assert refused.status_code == 422 and refused.json()["code"] == "id_not_checked"
    assert handed.status_code == 200
    assert twice.status_code == 409 and twice.json()["code"] == "already_collected"
    collected = world.published(dossier_id)[-1]
    assert isinstance(collected, Collected)
    assert collected.id_checked and collected.collected_by == "Nguyễn Thị Hoa"


def test_level_3_collection_needs_the_originals_checked(world: World) -> None:
    dossier_id = world.submit(mode="pickup", procedure=ID_CARD_PROCEDURE, unit=PROVINCE_UNIT, form_data={})
    world.issue(dossier_id, "pickup")

    refused = collect(world, dossier_id, unit=PROVINCE_UNIT)
    handed = collect(world, dossier_id, unit=PROVINCE_UNIT, originals_checked=True)

    assert refused.status_code == 422 and refused.json()["code"] == "originals_not_checked"
    assert handed.status_code == 200
    assert world.types(dossier_id) == ["ReadyForPickup", "Collected"]


def test_only_an_officer_of_the_unit_records_collection(world: World) -> None:
    dossier_id = world.submit(mode="pickup")
    world.issue(dossier_id, "pickup")
    body = {"id_checked": True, "collected_by": "Nguyễn Thị Hoa"}

    other_unit = collect(world, dossier_id, unit="CAX-00070")
    citizen = world.client.post(f"/v1/pickup/{dossier_id}/collected", json=body, headers=world.owner())
    not_ready = world.submit(mode="pickup")

    assert other_unit.status_code == 403
    assert citizen.status_code == 403
    assert collect(world, not_ready).status_code == 409
    assert world.types(dossier_id) == ["ReadyForPickup"]
