"""Store calls off the event loop that a cancellation cannot cut short."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


async def in_thread(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """`asyncio.to_thread`, except that a cancelled caller waits for the call to end before the
    cancellation goes on. Cancelling does not stop a thread: without the wait, whoever stopped
    the task may close the store while the thread still reads it (SQLite then crashes)."""
    call = asyncio.ensure_future(asyncio.to_thread(fn, *args, **kwargs))
    try:
        return await asyncio.shield(call)
    except asyncio.CancelledError:
        await asyncio.wait([call])
        raise


_inline = False


def run_store_calls_inline(inline: bool) -> None:
    """Set once per process (ADR 0018): on SQLite with `synchronous=NORMAL` a store call is a
    few hundred microseconds of CPU with nothing to wait for (one process owns the file, and
    commits do not fsync), so handing it to a worker thread costs more than running it; on
    PostgreSQL (the network) or with `synchronous=FULL` (an fsync per commit) it waits, so it
    runs in a worker thread."""
    global _inline
    _inline = inline


async def in_store(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run a call that only works with the event store: inline or in a worker thread, as set."""
    if _inline:
        return fn(*args, **kwargs)
    return await in_thread(fn, *args, **kwargs)
