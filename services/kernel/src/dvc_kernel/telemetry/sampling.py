"""Relay backlog and consumer lag, sampled for the gauges.

Both need I/O (the store's newest notification, Kafka's end offsets) while gauge callbacks are
synchronous, so a sampler refreshes them: every `interval` seconds in the background, and on
each `GET /metrics` so a scrape sees the present.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from .metrics import CONSUMER_LAG, RELAY_BACKLOG, Sample

log = logging.getLogger(__name__)


class HasBacklog(Protocol):
    producer_name: str

    async def backlog(self) -> int: ...


async def consumer_lag(consumer: Any) -> dict[tuple[str, int], int]:
    """Last known end offset minus position for each partition assigned to this consumer.

    The end offset is the high watermark from the consumer's latest fetch response, which
    carries every fetched partition's even when it brings no records. Asking the broker instead
    (ListOffsets) would queue behind the long-poll fetch on the same connection, since Kafka
    answers one request per connection at a time, and could make a scrape wait the whole
    fetch wait. A partition not fetched yet has no sample."""
    lag: dict[tuple[str, int], int] = {}
    for tp in sorted(consumer.assignment()):
        end = consumer.highwater(tp)
        if end is None:
            continue
        try:
            position = await asyncio.wait_for(consumer.position(tp), 1.0)
        except Exception:  # not positioned yet, or reassigned meanwhile: no sample this time
            continue
        lag[(tp.topic, tp.partition)] = max(0, end - position)
    return lag


class Sampler:
    def __init__(
        self, relay: HasBacklog, subscribers: Sequence[tuple[str, Any]], interval: float = 15.0
    ) -> None:
        self.relay = relay
        self.subscribers = subscribers  # (consumer group, FastStream subscriber)
        self.interval = interval
        self.backlog: int | None = None
        self.lag: dict[tuple[str, str, int], int] = {}
        RELAY_BACKLOG.watch(self._backlog)
        CONSUMER_LAG.watch(self._lag)

    async def refresh(self) -> None:
        self.backlog = await self.relay.backlog()
        lag: dict[tuple[str, str, int], int] = {}
        for group, subscriber in self.subscribers:
            consumer = getattr(subscriber, "consumer", None)  # None until the broker started
            if consumer is not None:
                lag.update({(group, *tp): n for tp, n in (await consumer_lag(consumer)).items()})
        self.lag = lag

    async def run(self) -> None:
        while True:
            try:
                await self.refresh()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the broker or the store is away: the gauges keep the last values
                log.debug("metrics sampling failed: %s", exc)
            await asyncio.sleep(self.interval)

    def _backlog(self) -> Iterable[Sample]:
        if self.backlog is not None:
            yield float(self.backlog), {"producer": self.relay.producer_name}

    def _lag(self) -> Iterable[Sample]:
        for (group, topic, partition), lag in sorted(self.lag.items()):
            yield float(lag), {"group": group, "topic": topic, "partition": str(partition)}
