"""What payment consumes: submitted dossiers (to assess them) and how processing ends them
(rejected, refused, withdrawn: to pay back)."""

from __future__ import annotations

from faststream.kafka import KafkaBroker

from dvc_contracts.topics import INTAKE_DOSSIER, PROCESSING_DOSSIER
from dvc_kernel.inbox import Inbox, subscribe


def register(broker: KafkaBroker, inbox: Inbox, group_id: str = "payment") -> None:
    subscribe(
        broker,
        inbox,
        [INTAKE_DOSSIER.name, PROCESSING_DOSSIER.name],
        group_id=group_id,
        description="Assesses the fee of every submitted dossier; refunds it when the dossier is "
        "rejected, refused or withdrawn.",
    )
