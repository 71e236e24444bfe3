"""Group commit for work that arrives one item at a time (callbacks, webhooks): each caller
awaits its own result, and the items that arrived meanwhile are handled together, in one
store transaction, off the event loop (ADR 0018)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from .threads import in_store

T = TypeVar("T")
R = TypeVar("R")


class Batched(Generic[T, R]):
    """`await batched(item)` returns `handle(items)[i]` for its item, where `handle` got every
    item that arrived within `delay` seconds of the first one (at most `limit`)."""

    def __init__(
        self, handle: Callable[[Sequence[T]], list[R]], delay: float = 0.01, limit: int = 500
    ) -> None:
        self.handle = handle
        self.delay = delay
        self.limit = limit
        self._pending: list[tuple[T, asyncio.Future[R]]] = []
        self._timer: asyncio.TimerHandle | None = None
        self._running: set[asyncio.Task[None]] = set()

    async def __call__(self, item: T) -> R:
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._pending.append((item, future))
        if len(self._pending) >= self.limit:
            self._flush()
        elif self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(self.delay, self._flush)
        return await future

    def _flush(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        batch, self._pending = self._pending, []
        if batch:
            task = asyncio.get_running_loop().create_task(self._run(batch))
            self._running.add(task)
            task.add_done_callback(self._running.discard)

    async def _run(self, batch: list[tuple[T, asyncio.Future[R]]]) -> None:
        try:
            results = await in_store(self.handle, [item for item, _ in batch])
        except BaseException as error:
            for _, future in batch:
                if not future.done():
                    future.set_exception(error)
            if isinstance(error, asyncio.CancelledError):
                raise
            return
        for (_, future), result in zip(batch, results, strict=True):
            if not future.done():
                future.set_result(result)
