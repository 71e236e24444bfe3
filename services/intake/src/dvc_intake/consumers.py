"""Intake follows processing's dossier topic to show the citizen their dossier's status, and its
lodging topic to show the host each guest's verdict."""

from __future__ import annotations

from faststream.kafka import KafkaBroker

from dvc_contracts.topics import PROCESSING_DOSSIER, PROCESSING_LODGING
from dvc_kernel.inbox import Inbox, subscribe


def register(broker: KafkaBroker, inbox: Inbox) -> None:
    subscribe(
        broker,
        inbox,
        [PROCESSING_DOSSIER.name, PROCESSING_LODGING.name],
        group_id="intake",
        description="Mirrors processing's news on each dossier (supplement requests, decisions) "
        "and its verdict on each lodging notice.",
    )
