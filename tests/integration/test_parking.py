"""An event that arrives before the event creating its dossier (they travel on different topics)
is parked with its tracking record, so its partition moves on, and is applied exactly once as
soon as the dossier exists — even when the process dies in between. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from uuid import uuid4

from eventsourcing.persistence import Tracking

from dvc_kernel.application import Incoming, Parked, ParkingLot
from dvc_processing.application import ProcessingApplication
from dvc_testing import factories

CODE = "261123-PARKED-1"


def told(app: ProcessingApplication, payload: object, producer: str, offset: int) -> bool:
    envelope = factories.envelope(payload, payload.dossier_id, producer=producer)  # type: ignore[arg-type, attr-defined]
    return app.process_incoming(Incoming(envelope, payload), Tracking(f"{payload.topic}:0", offset))  # type: ignore[arg-type, attr-defined]


def test_an_early_fee_is_parked_and_applied_once_the_dossier_arrives(
    store_env: Callable[[str], dict[str, str]],
) -> None:
    env = store_env("processing")
    app = ProcessingApplication(env=env, catalog=factories.catalog_replica())
    dossier_id = uuid4()
    assert told(app, factories.fee_assessed(dossier_id, CODE, 7000), "payment", 1)
    assert app.case(dossier_id) is None
    assert told(app, factories.fee_assessed(dossier_id, CODE, 7000), "payment", 1) is False  # redelivered

    assert told(app, factories.submitted(dossier_id, dossier_code=CODE, unit_code="CAX-00004"), "intake", 1)
    case = app.case(dossier_id)
    assert case is not None and case.fee_due_vnd == 7000
    assert app.waiting_subjects() == set()


def test_what_a_crash_left_parked_is_released_at_the_next_start(
    store_env: Callable[[str], dict[str, str]],
) -> None:
    env = store_env("processing")
    first = ProcessingApplication(env=env, catalog=factories.catalog_replica())
    dossier_id = uuid4()
    told(first, factories.fee_assessed(dossier_id, CODE, 7000), "payment", 1)
    told(first, factories.fee_paid(dossier_id, 7000), "payment", 2)
    # The Submitted is committed, then the process dies before releasing what waited for it.
    submitted = factories.submitted(dossier_id, dossier_code=CODE, unit_code="CAX-00004")
    envelope = factories.envelope(submitted, dossier_id)
    first.process_event(Incoming(envelope, submitted), Tracking("intake.dossier.v1:0", 1))  # type: ignore[arg-type]
    assert first.case(dossier_id).fee_due_vnd is None  # type: ignore[union-attr]

    again = ProcessingApplication(env=env, catalog=factories.catalog_replica())
    assert again.waiting_subjects() == set()  # released on first use
    case = again.case(dossier_id)
    assert case is not None and (case.fee_due_vnd, case.fee_paid_vnd) == (7000, 7000)
    third = ProcessingApplication(env=env, catalog=factories.catalog_replica())
    assert third.waiting_subjects() == set()
    assert third.case(dossier_id).fee_paid_vnd == 7000  # type: ignore[union-attr]


def test_a_store_that_listed_its_waiting_dossiers_in_a_parking_lot_still_releases_them(
    store_env: Callable[[str], dict[str, str]],
) -> None:
    """Stores written before ADR 0018 name the waiting dossiers in one `ParkingLot` aggregate;
    the first start after the upgrade turns it into lookup rows and releases as before."""
    env = store_env("processing")
    old = ProcessingApplication(env=env, catalog=factories.catalog_replica())
    dossier_id = uuid4()
    fee = factories.fee_assessed(dossier_id, CODE, 7000)
    parked = Parked(id=Parked.id_for(dossier_id), subject=dossier_id)
    parked.park(factories.envelope(fee, dossier_id, producer="payment").model_dump(mode="json"))
    lot = ParkingLot(id=ParkingLot.ID)
    lot.add(dossier_id)
    old.save(parked, lot)  # as the kernel before ADR 0018 recorded it
    told(old, factories.submitted(dossier_id, dossier_code=CODE, unit_code="CAX-00004"), "intake", 1)

    upgraded = ProcessingApplication(env=env, catalog=factories.catalog_replica())
    assert upgraded.waiting_subjects() == set()
    case = upgraded.case(dossier_id)
    assert case is not None and case.fee_due_vnd == 7000


def test_an_event_parked_by_one_instance_while_another_applies_its_cause_is_applied_by_the_sweep(
    store_env: Callable[[str], dict[str, str]],
) -> None:
    """Two instances share the store: one parks an early fee while the other, which looked
    for parked events before that, applies the dossier's Submitted without seeing the park.
    Neither event arrives again; the periodic sweep applies the fee."""
    env = store_env("processing")
    one = ProcessingApplication(env=env, catalog=factories.catalog_replica())
    other = ProcessingApplication(env=env, catalog=factories.catalog_replica())
    assert other.waiting_subjects() == set()  # looked before the park
    dossier_id = uuid4()
    told(one, factories.fee_assessed(dossier_id, CODE, 7000), "payment", 1)
    told(other, factories.submitted(dossier_id, dossier_code=CODE, unit_code="CAX-00004"), "intake", 1)
    assert other.case(dossier_id).fee_due_vnd is None  # type: ignore[union-attr]

    assert other.sweep_parked() == 1
    assert other.case(dossier_id).fee_due_vnd == 7000  # type: ignore[union-attr]
    assert other.sweep_parked() == 0  # applied once
