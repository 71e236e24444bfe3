"""What notify consumes: every public topic a citizen should hear about."""

from __future__ import annotations

from faststream.kafka import KafkaBroker

from dvc_contracts.topics import INTAKE_DOSSIER, PROCESSING_DOSSIER
from dvc_kernel.inbox import Inbox, subscribe


def register(broker: KafkaBroker, inbox: Inbox) -> None:
    subscribe(
        broker,
        inbox,
        [INTAKE_DOSSIER.name, PROCESSING_DOSSIER.name],
        group_id="notify",
        description="Learns citizens' contacts and tells them about their dossiers.",
    )
