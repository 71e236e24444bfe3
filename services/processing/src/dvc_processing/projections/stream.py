"""The live follower of processing's log behind `GET /v1/stream` (api/stream.py).

One follower (the hub) reads the log for all subscribers and fans out, so a hundred open
streams cost one poll of the store, not a hundred. A subscriber that falls too far behind is
closed; its client reconnects with `Last-Event-ID` and resumes from the store.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from dvc_kernel.envelopes import HashChain, Translate

from .board import Board
from .timelines import history_of

if TYPE_CHECKING:
    from ..application import ProcessingApplication

POLL_SECONDS = 0.1
QUEUE_LIMIT = 10_000
BATCH = 500
UNIT_FIELDS = ("unit_code", "from_unit", "to_unit", "superior_unit", "dossier_unit")


@dataclass(frozen=True)
class Item:
    id: int
    event_type: str
    topic: str
    units: frozenset[str]
    data: str  # the envelope's JSON, as on the topic


class Hub:
    def __init__(self, app: ProcessingApplication, board: Board, translate: Translate) -> None:
        self.app, self.board, self.translate = app, board, translate
        self.chain = HashChain(translate, app.name, history_of(app))
        self.position = -1  # unknown until the first subscriber starts the follower
        self.queues: set[asyncio.Queue[Item | None]] = set()
        self._task: asyncio.Task[None] | None = None

    def items(self, notifications: Sequence[Any], chain: HashChain) -> list[Item]:
        found = []
        for notification in notifications:
            event = self.app.mapper.to_domain_event(notification)
            out = self.translate(event)
            if out is None:
                continue
            envelope = chain.envelope(event, out)
            units = {str(v) for k in UNIT_FIELDS if (v := envelope.payload.get(k))}
            if not units and "dossier_id" in envelope.payload:
                state = self.board.dossiers.get(UUID(str(envelope.payload["dossier_id"])))
                units = {state.unit_code} if state and state.unit_code else set()
            found.append(
                Item(
                    notification.id,
                    envelope.event_type,
                    out.topic,
                    frozenset(units),
                    envelope.model_dump_json(),
                )
            )
        return found

    async def backlog(self, after: int, up_to: int) -> list[Item]:
        """Stored events after `after` up to `up_to`, read off the event loop."""
        return await asyncio.to_thread(self._backlog, after, up_to)

    def _backlog(self, after: int, up_to: int) -> list[Item]:
        """Stored events after `after` up to `up_to`, with a chain of its own (another thread)."""
        chain = HashChain(self.translate, self.app.name, history_of(self.app))
        items: list[Item] = []
        while after < up_to:
            batch = [n for n in self.app.recorder.select_notifications(after + 1, BATCH) if n.id <= up_to]
            if not batch:
                break
            items += self.items(batch, chain)
            after = batch[-1].id
        return items

    async def subscribe(self) -> tuple[asyncio.Queue[Item | None], int]:
        """A queue of every event after the returned position."""
        if self.position < 0:
            start = await asyncio.to_thread(self.app.recorder.max_notification_id) or 0
            self.position = max(self.position, start)
        queue: asyncio.Queue[Item | None] = asyncio.Queue()
        self.queues.add(queue)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._follow(), name="stream-hub")
        return queue, self.position

    def unsubscribe(self, queue: asyncio.Queue[Item | None]) -> None:
        self.queues.discard(queue)

    async def _follow(self) -> None:
        # Runs only while someone listens; no task outlives the last stream.
        while self.queues:
            notifications = await asyncio.to_thread(
                self.app.recorder.select_notifications, self.position + 1, BATCH
            )
            if not notifications:
                await asyncio.sleep(POLL_SECONDS)
                continue
            items = await asyncio.to_thread(self.items, notifications, self.chain)
            for item in items:
                for queue in list(self.queues):
                    if queue.qsize() >= QUEUE_LIMIT:
                        self.queues.discard(queue)  # too slow: closed, it resumes by Last-Event-ID
                        queue.put_nowait(None)
                    else:
                        queue.put_nowait(item)
            self.position = notifications[-1].id
