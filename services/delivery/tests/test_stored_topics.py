"""Stores written before delivery took its present shape still load: every stored event keeps
its topic, and the read log's events, first stored under `dvc_delivery.read_log`, resolve."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from uuid import uuid4

from eventsourcing.utils import get_topic

from dvc_delivery.domain.read_log import ReadLog
from dvc_delivery.domain.result_delivery import ResultDelivery

from .conftest import World

EVENTS = [
    "Registered",
    "UnitChanged",
    "Withdrawn",
    "ResultIssued",
    "DocumentSigned",
    "DocumentDownloaded",
    "AddressGiven",
    "AddressNeeded",
    "ShipmentRequested",
    "ShipmentCreated",
    "TrackingUpdated",
    "ParcelDelivered",
    "AttemptFailed",
    "RedeliveryRequested",
    "ReadyAtUnit",
    "SlotBooked",
    "Collected",
]


def test_every_event_of_a_result_delivery_keeps_the_topic_it_was_stored_under() -> None:
    for name in EVENTS:
        topic = get_topic(getattr(ResultDelivery, name))
        assert topic == f"dvc_delivery.domain.result_delivery:ResultDelivery.{name}"


def test_a_read_recorded_under_the_old_module_still_loads(sqlite_world: World) -> None:
    dossier_id = uuid4()
    log = ReadLog(id=ReadLog.id_for(dossier_id), dossier_id=dossier_id)
    log.read("261123-000001-X", "officer-1", "officer", ["CAX-00004"], None, "record", datetime.now(UTC), {})
    mapper = sqlite_world.app.mapper
    for event in log.collect_events():
        stored = mapper.to_stored_event(event)
        name = type(event).__qualname__
        old = dataclasses.replace(stored, topic=f"dvc_delivery.read_log:{name}")
        loaded = mapper.to_domain_event(old)
        assert type(loaded) is type(event)
        assert loaded == event
