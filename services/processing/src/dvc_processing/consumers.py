"""What processing consumes: dossiers submitted at intake; fees and deliveries of them."""

from __future__ import annotations

from faststream.kafka import KafkaBroker

from dvc_contracts.topics import DELIVERY_RESULT, INTAKE_DOSSIER, INTAKE_LODGING, PAYMENT_FEE
from dvc_kernel.inbox import Inbox, subscribe


def register(broker: KafkaBroker, inbox: Inbox) -> None:
    subscribe(
        broker,
        inbox,
        [INTAKE_DOSSIER.name, INTAKE_LODGING.name],
        group_id="processing",
        description="Receives every dossier, supplement, withdrawal and lodging notice citizens file.",
    )
    # Its own consumer: a fee or delivery event that arrives before its dossier waits for it
    # (the inbox backs off) without holding up the dossiers themselves.
    subscribe(
        broker,
        inbox,
        [PAYMENT_FEE.name, DELIVERY_RESULT.name],
        group_id="processing-outcomes",
        description="Keeps each dossier's fee and the delivery of its result on the case.",
    )
