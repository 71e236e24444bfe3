"""CPU per commit of waking the followers of the log (`dvc_kernel.commits`) from a worker
thread, as delivery's store calls do: `.venv/bin/python -m bench.commit_signal_cost`.

The followers (relay, dispatchers) wait on one event loop; the commit happens in another
thread. Counted: both threads' CPU, including each follower waking and clearing its event."""

from __future__ import annotations

import asyncio
import contextlib
import sys
import threading
import time

from dvc_kernel.commits import CommitSignal


class OneCrossingPerFollower(CommitSignal):
    """The signal before 2026-12-05: one `call_soon_threadsafe` for each sleeping follower."""

    def fire(self) -> None:
        self.fired += 1
        with self._lock:
            waiters = list(self._waiters)
        for loop, event in waiters:
            if not event.is_set() and not loop.is_closed():
                with contextlib.suppress(RuntimeError):
                    loop.call_soon_threadsafe(event.set)


def cost(signal: CommitSignal, commits: int, followers: int) -> float:
    woken, ready = threading.Event(), threading.Event()

    async def follow() -> None:
        events = [signal.subscribe() for _ in range(followers)]
        ready.set()
        while True:
            for event in events:
                await event.wait()
                event.clear()
            woken.set()

    threading.Thread(target=lambda: asyncio.run(follow()), daemon=True).start()
    ready.wait()
    started = time.process_time()
    for _ in range(commits):
        woken.clear()
        signal.fire()
        woken.wait()
    return (time.process_time() - started) / commits * 1e6


def main(commits: int = 20_000, followers: int = 3) -> None:
    for name, signal in (
        ("one crossing per follower", OneCrossingPerFollower()),
        ("one per loop", CommitSignal()),
    ):
        print(f"{name:26} {cost(signal, commits, followers):5.1f} µs CPU per commit, {followers} followers")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
