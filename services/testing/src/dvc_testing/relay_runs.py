"""Relay tests' two steps: a store given dossiers to publish, then its relay run until the
broker has them all."""

from __future__ import annotations

import asyncio
from uuid import uuid4

from eventsourcing.persistence import Tracking

from dvc_kernel.application import Incoming, ServiceApplication
from dvc_kernel.relay import Relay
from dvc_testing import factories


def received_dossiers(app: ServiceApplication, count: int, start: int = 0) -> None:
    """`count` submissions taken from intake's topic by `app` (processing): each one event in
    its store to relay."""
    for i in range(start, start + count):
        dossier_id = uuid4()
        payload = factories.submitted(dossier_id, dossier_code=f"261123-{i:06d}-X")
        incoming = Incoming(factories.envelope(payload, dossier_id), payload)
        app.process_incoming(incoming, Tracking("intake.dossier.v1:0", i + 1))


async def relay_until_caught_up(relay: Relay, patience: float = 60) -> None:
    """Run `relay` until it is connected and has nothing left to publish (at most `patience`
    seconds)."""
    task = asyncio.create_task(relay.run())
    try:
        async with asyncio.timeout(patience):
            # the backlog is a store query: there is no event to wait on
            while not relay.connected or await relay.backlog() > 0:  # noqa: ASYNC110
                await asyncio.sleep(0.05)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
