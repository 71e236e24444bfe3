"""Intake follows processing's dossier topic to show the citizen their dossier's status."""

from __future__ import annotations

from faststream.kafka import KafkaBroker

from dvc_contracts.topics import PROCESSING_DOSSIER
from dvc_kernel.inbox import Inbox, subscribe


def register(broker: KafkaBroker, inbox: Inbox) -> None:
    subscribe(
        broker,
        inbox,
        [PROCESSING_DOSSIER.name],
        group_id="intake",
        description="Mirrors processing's news on each dossier: supplement requests and decisions.",
    )
