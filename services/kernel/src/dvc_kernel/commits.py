"""Wake-ups on commit: whoever follows the store's log (the relay, projections, dispatchers)
waits for a signal instead of polling it (ADR 0018).

Every write through `ServiceApplication` fires the signal after its transaction commits, from
whichever thread wrote. With PostgreSQL, other instances write to the same store: a `LISTEN`
on the channel the library `NOTIFY`s at each insert fires it for their commits too.
A waiter still looks again after a timeout of its own, so a lost signal only delays work.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from typing import Any

log = logging.getLogger(__name__)


class CommitSignal:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = []
        self.fired = 0  # commits signalled, for tests and metrics

    def subscribe(self) -> asyncio.Event:
        """An event of the running loop, set after each commit; the subscriber clears it."""
        event = asyncio.Event()
        with self._lock:
            self._waiters.append((asyncio.get_running_loop(), event))
        return event

    def unsubscribe(self, event: asyncio.Event) -> None:
        with self._lock:
            self._waiters = [(loop, e) for loop, e in self._waiters if e is not event]

    def fire(self) -> None:
        """Callable from any thread."""
        self.fired += 1
        with self._lock:
            waiters = list(self._waiters)
        try:
            running: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        asleep: dict[asyncio.AbstractEventLoop, list[asyncio.Event]] = {}
        for loop, event in waiters:
            if event.is_set():
                continue  # already awake: no need to cross threads again
            if loop is running:
                event.set()
            else:
                asleep.setdefault(loop, []).append(event)
        # One crossing per loop, not per waiter: each is a write to the loop's wake-up pipe.
        for loop, events in asleep.items():
            if not loop.is_closed():
                with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                    loop.call_soon_threadsafe(_set_all, events)


def _set_all(events: list[asyncio.Event]) -> None:
    for event in events:
        event.set()


async def wait(event: asyncio.Event, seconds: float) -> bool:
    """Wait for `event` at most `seconds`; True if it was set."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            await event.wait()
            return True
    return False


async def listen_postgres(conninfo: dict[str, Any], channel: str, signal: CommitSignal) -> None:
    """Fire `signal` on every NOTIFY of `channel` (other instances' commits), reconnecting
    after failures. Runs until cancelled."""
    import psycopg
    from psycopg import sql

    while True:
        try:
            async with await psycopg.AsyncConnection.connect(**conninfo, autocommit=True) as conn:
                await conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
                signal.fire()  # whatever was committed while we were not listening
                async for _ in conn.notifies():
                    signal.fire()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("listening for commits on %s failed (%s); retrying", channel, exc)
            await asyncio.sleep(1.0)
