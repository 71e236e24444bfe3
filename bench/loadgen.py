"""Open-loop load: requests leave on a fixed schedule whatever the answers, and each latency is
counted from the time its request was due, not from when it actually left.

A closed loop (send, wait, send) slows down with the server and hides its stalls: the requests
that should have been sent during a stall are never sent, so they never count as slow
(coordinated omission). Here a stalled server faces the same arrivals, and a generator that
falls behind charges its own lateness to the request.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


def arrivals(rate: float, seconds: float) -> list[float]:
    """When each request is due, in seconds from the start: `rate` a second, evenly spaced."""
    if rate <= 0 or seconds <= 0:
        return []
    count = math.floor(rate * seconds + 1e-9)
    return [i / rate for i in range(count)]


@dataclass(frozen=True)
class Timed(Generic[T]):
    index: int
    due: float  # clock time the request was scheduled for
    sent: float  # clock time it actually left
    done: float  # clock time its answer (or failure) arrived
    result: T

    @property
    def latency(self) -> float:
        """Seconds from due to answered: includes any delay in sending it."""
        return self.done - self.due


async def open_loop(
    offsets: Sequence[float],
    send: Callable[[int], Awaitable[T]],
    clock: Clock = time.monotonic,
    sleep: Sleep = asyncio.sleep,
) -> list[Timed[T]]:
    """Start `send(i)` at `start + offsets[i]` without waiting for earlier answers; all results."""

    async def timed(index: int, due: float) -> Timed[T]:
        sent = clock()
        result = await send(index)
        return Timed(index, due, sent, clock(), result)

    start = clock()
    tasks: list[asyncio.Task[Timed[T]]] = []
    for index, offset in enumerate(offsets):
        due = start + offset
        if (delay := due - clock()) > 0:
            await sleep(delay)
        tasks.append(asyncio.create_task(timed(index, due)))
    return list(await asyncio.gather(*tasks))


async def closed_loop(
    count: int,
    send: Callable[[int], Awaitable[T]],
    concurrency: int,
    seconds: float = math.inf,
    clock: Clock = time.monotonic,
) -> list[T]:
    """`send(i)` for every i below `count`, at most `concurrency` at a time, as fast as the
    system takes them; none started after `seconds`. Only for filling a history before
    measuring: a closed loop's latencies say nothing (see above)."""
    results: list[T | None] = [None] * count
    upcoming = iter(range(count))
    deadline = clock() + seconds

    async def worker() -> None:
        for index in upcoming:
            if clock() > deadline:
                return
            results[index] = await send(index)

    await asyncio.gather(*(worker() for _ in range(min(concurrency, count))))
    return [r for r in results if r is not None]
