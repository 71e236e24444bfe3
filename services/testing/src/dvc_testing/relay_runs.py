"""Relay tests' steps: a store given dossiers to publish, its relay onto a test's own topic,
run until the broker has them all, and what the topic then holds."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

from aiokafka import ConsumerRecord
from eventsourcing.persistence import Tracking

from dvc_contracts import parse
from dvc_kernel.application import Incoming, ServiceApplication
from dvc_kernel.envelopes import Outgoing
from dvc_kernel.relay import Relay
from dvc_processing.translation import translate
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


def to_topic(topic: str) -> Callable[[Any], Outgoing | None]:
    """Processing's translation, publishing on `topic` instead of the real one."""

    def _translate(event: Any) -> Outgoing | None:
        out = translate(event)
        return dataclasses.replace(out, topic=topic) if out else None

    return _translate


@dataclass(frozen=True)
class RelayTopic:
    """A test's own topic on the test broker, with relays of processing's stores onto it: by
    default all as one producer (a process restarted over its store, or over a new one)."""

    name: str
    bootstrap: str
    read: Callable[[str], Awaitable[list[ConsumerRecord[bytes, bytes]]]]
    producer: str = field(default_factory=lambda: f"processing-{uuid4().hex[:8]}")

    def relay(self, app: ServiceApplication, producer: str | None = None) -> Relay:
        return Relay(
            app,
            to_topic(self.name),
            producer=producer or self.producer,
            topics=[self.name],
            bootstrap=self.bootstrap,
        )

    async def event_ids(self) -> list[str]:
        """The event ids of every message on the topic, in partition order."""
        return [str(parse(r.value or b"")[0].event_id) for r in await self.read(self.name)]
