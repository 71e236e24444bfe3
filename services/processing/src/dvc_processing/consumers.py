"""What processing consumes: dossiers submitted at intake."""

from __future__ import annotations

from faststream.kafka import KafkaBroker

from dvc_contracts.topics import INTAKE_DOSSIER, INTAKE_LODGING
from dvc_kernel.inbox import Inbox, subscribe


def register(broker: KafkaBroker, inbox: Inbox) -> None:
    subscribe(
        broker,
        inbox,
        [INTAKE_DOSSIER.name, INTAKE_LODGING.name],
        group_id="processing",
        description="Receives every dossier, supplement, withdrawal and lodging notice citizens file.",
    )
