"""Every version and unit translates into the public contract and survives the wire."""

from __future__ import annotations

from dvc_catalog.domain.catalog import Catalog
from dvc_catalog.translation import procedure_version_published, unit_published
from dvc_contracts.catalog import ProcedureVersionPublished, UnitPublished


def test_every_version_round_trips_through_json(catalog: Catalog) -> None:
    for procedure in catalog.procedures:
        for version in procedure.versions:
            event = procedure_version_published(version)
            assert ProcedureVersionPublished.model_validate_json(event.model_dump_json()) == event


def test_the_event_carries_what_other_services_need(catalog: Catalog) -> None:
    event = procedure_version_published(catalog.procedure("1.004194").versions[0])
    assert event.topic == "catalog.procedure.v1"
    assert (event.deadline.kind, event.deadline.amount) == ("working_days", 3)
    assert event.fees.items[1].basis == "per_person"
    assert event.payment_timing == "before_submission" and event.unit_level == "commune"
    assert event.form is not None and event.form.fields[0].label == "Họ, chữ đệm và tên"
    assert {u.fact for u in event.unsure_facts} >= {"deadline.on_supplement"}


def test_units_translate(catalog: Catalog) -> None:
    event = unit_published(catalog.units.get("CAX-00070"))
    assert event.topic == "catalog.unit.v1"
    assert UnitPublished.model_validate_json(event.model_dump_json()) == event
    assert event.parent_code == "CAT-01"
