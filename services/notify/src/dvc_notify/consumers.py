"""What notify consumes: every public topic a citizen should hear about."""

from __future__ import annotations

from faststream.kafka import KafkaBroker

from dvc_contracts.topics import (
    DELIVERY_RESULT,
    INTAKE_DOSSIER,
    PAYMENT_FEE,
    PROCESSING_COMPLAINT,
    PROCESSING_DOSSIER,
)
from dvc_kernel.inbox import Inbox, subscribe

TOPICS = [
    INTAKE_DOSSIER.name,
    PROCESSING_DOSSIER.name,
    PAYMENT_FEE.name,
    DELIVERY_RESULT.name,
    PROCESSING_COMPLAINT.name,  # the answer to a citizen's complaint
]


def register(broker: KafkaBroker, inbox: Inbox) -> None:
    subscribe(
        broker,
        inbox,
        TOPICS,
        group_id="notify",
        description="Learns citizens' contacts and tells them about their dossiers, fees and results.",
    )
