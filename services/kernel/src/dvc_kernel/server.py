"""uvicorn's server, woken once a second instead of ten times when there is nothing to do.

uvicorn's main loop wakes every 0.1 s to refresh the `Date` header and see whether it should
exit: about a millisecond of CPU a second in every idle process. This one refreshes the header
every second (its resolution anyway) and is woken at once by a shutdown signal. `serve` runs an
app on it as every process of the platform runs (the services, and the simulators beside them).
"""

from __future__ import annotations

import asyncio
import contextlib
from types import FrameType
from typing import Any

import uvicorn


class QuietServer(uvicorn.Server):
    _exit: asyncio.Event | None = None
    _loop: asyncio.AbstractEventLoop | None = None

    async def main_loop(self) -> None:
        self._loop, self._exit = asyncio.get_running_loop(), asyncio.Event()
        counter = 0
        should_exit = await self.on_tick(counter)
        while not should_exit:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(1.0):
                    await self._exit.wait()
            counter = (counter + 10) % 864000  # on_tick refreshes the header when it divides by 10
            should_exit = await self.on_tick(counter)

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        super().handle_exit(sig, frame)
        if self._loop is not None and self._exit is not None:
            self._loop.call_soon_threadsafe(self._exit.set)


def serve(app: Any, host: str, port: int) -> None:
    """uvloop and httptools, the C event loop and HTTP parser (ADR 0018); no access log line per
    request (the HTTP metrics count them, and the traces keep the sampled ones)."""
    config = uvicorn.Config(
        app, host=host, port=port, log_config=None, loop="uvloop", http="httptools", access_log=False
    )
    QuietServer(config).run()
