"""A cancelled store call finishes before the cancellation goes on, so nobody closes the store
under it."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from dvc_kernel.threads import in_thread


async def test_a_cancelled_caller_waits_for_its_thread_to_end() -> None:
    started, ended = threading.Event(), threading.Event()

    def slow_read() -> str:
        started.set()
        time.sleep(0.3)
        ended.set()
        return "rows"

    task = asyncio.create_task(in_thread(slow_read))
    await asyncio.to_thread(started.wait)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert ended.is_set()  # the read was over before the task reported itself cancelled


async def test_it_returns_what_the_call_returns() -> None:
    assert await in_thread(sum, [1, 2, 3]) == 6
