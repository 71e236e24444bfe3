"""The open-loop scheduler: requests leave on schedule whatever the answers, and latency counts
from when each request was due."""

from __future__ import annotations

import asyncio

import pytest

from bench.loadgen import arrivals, open_loop


class FakeClock:
    """Time that passes only when the generator sleeps or a request takes it."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(0)  # requests already started run now, as they would at a real sleep
        self.now += seconds


def test_arrivals_are_evenly_spaced_at_the_rate() -> None:
    assert arrivals(4, 1) == [0, 0.25, 0.5, 0.75]
    assert len(arrivals(10, 20)) == 200
    assert arrivals(3, 0) == [] and arrivals(0, 5) == []


async def test_requests_leave_on_schedule_even_while_earlier_ones_are_unanswered() -> None:
    clock = FakeClock()
    server_answers = asyncio.Event()
    left_at: list[float] = []

    async def stalled_server(i: int) -> int:
        left_at.append(clock())
        await server_answers.wait()  # nothing is answered until every request has left
        return i

    async def answer_when_all_sent() -> None:
        while len(left_at) < 5:
            await asyncio.sleep(0)
        clock.now += 2.0  # the stall lasts two seconds past the last request
        server_answers.set()

    release = asyncio.create_task(answer_when_all_sent())
    timed = await open_loop(arrivals(10, 0.5), stalled_server, clock=clock, sleep=clock.sleep)
    await release

    assert left_at == pytest.approx([100.0, 100.1, 100.2, 100.3, 100.4])  # a closed loop would send one
    assert [t.result for t in timed] == [0, 1, 2, 3, 4]
    # Each waited from its due time to the end of the stall: the first request waited longest.
    assert [t.latency for t in timed] == pytest.approx([2.4, 2.3, 2.2, 2.1, 2.0])


async def test_a_generator_that_falls_behind_charges_its_lateness_to_the_request() -> None:
    clock = FakeClock()

    async def busy_generator_sleep(seconds: float) -> None:
        await asyncio.sleep(0)
        clock.now += seconds + 0.05  # every wake-up comes 50 ms late

    async def instant(i: int) -> int:
        return i

    timed = await open_loop(arrivals(10, 0.3), instant, clock=clock, sleep=busy_generator_sleep)

    assert [t.due for t in timed] == pytest.approx([100.0, 100.1, 100.2])
    assert [t.sent - t.due for t in timed] == pytest.approx([0.0, 0.05, 0.05])
    assert [t.latency for t in timed] == pytest.approx([0.0, 0.05, 0.05])
