"""What delivery consumes: dossiers filed at intake, and what processing decides about them.

Two subscriptions (one per topic), so a processing event waiting for its dossier's
`Submitted` never holds up the intake topic that brings it.
"""

from __future__ import annotations

from faststream.kafka import KafkaBroker

from dvc_contracts.topics import INTAKE_DOSSIER, PROCESSING_DOSSIER
from dvc_kernel.inbox import Inbox, subscribe


def register(
    broker: KafkaBroker,
    inbox: Inbox,
    intake_topic: str = INTAKE_DOSSIER.name,
    processing_topic: str = PROCESSING_DOSSIER.name,
    group: str = "delivery",
) -> None:
    subscribe(
        broker,
        inbox,
        [intake_topic],
        group_id=f"{group}-intake",
        description="Learns each dossier's applicant, chosen delivery and address, and withdrawals.",
    )
    subscribe(
        broker,
        inbox,
        [processing_topic],
        group_id=f"{group}-processing",
        description="Follows the unit holding each dossier and sends every issued result on its way.",
    )
