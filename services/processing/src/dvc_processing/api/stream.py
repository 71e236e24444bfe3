"""HTTP: a live stream of processing's public events for officer tools (Server-Sent Events).

`GET /v1/stream` sends each public event of processing's store as `id:` (the notification id),
`event:` (the event type) and `data:` (the envelope JSON, as on the topic). A client that
reconnects with `Last-Event-ID` first gets everything stored after that id, then the live
events, so nothing is missed. Officers see their units' events, supervisors also those of the
units under theirs, auditors everything (the access log of staff reads only auditors).

One follower (the hub) reads the log for all subscribers and fans out, so a hundred open
streams cost one poll of the store, not a hundred. A subscriber that falls too far behind is
closed; its client reconnects with `Last-Event-ID` and resumes from the store.

The framing, the keep-alive comments (every 15 s of silence) and the no-cache headers are
FastAPI's own (`EventSourceResponse`), which also lists the stream and its event schema in the
OpenAPI document.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Header
from fastapi.sse import EventSourceResponse, ServerSentEvent

from dvc_contracts.topics import PROCESSING_ACCESS
from dvc_kernel.auth.fastapi import require_roles
from dvc_kernel.auth.principal import Principal, Role
from dvc_kernel.envelopes import HashChain, Translate

from ..application import ProcessingApplication
from ..projections.board import Board
from ..projections.timelines import history_of
from .tracking import app_units_under

POLL_SECONDS = 0.1
QUEUE_LIMIT = 10_000
BATCH = 500
UNIT_FIELDS = ("unit_code", "from_unit", "to_unit", "superior_unit", "dossier_unit")
Subscriber = Annotated[Principal, Depends(require_roles(Role.OFFICER, Role.SUPERVISOR, Role.AUDITOR))]


@dataclass(frozen=True)
class Item:
    id: int
    event_type: str
    topic: str
    units: frozenset[str]
    data: str

    def event(self) -> ServerSentEvent:
        # raw_data: the envelope's JSON as on the topic, not JSON-encoded a second time
        return ServerSentEvent(id=str(self.id), event=self.event_type, raw_data=self.data)


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

    def backlog(self, after: int, up_to: int) -> list[Item]:
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


def visibility(app: ProcessingApplication, principal: Principal) -> Callable[[Item], bool]:
    if principal.role is Role.AUDITOR:
        return lambda item: True
    units = app_units_under(app, principal.units) if principal.role is Role.SUPERVISOR else principal.units
    return lambda item: item.topic != PROCESSING_ACCESS.name and bool(item.units & units)


def router(app: ProcessingApplication, board: Board, translate: Translate) -> APIRouter:
    api = APIRouter(prefix="/v1", tags=["stream"])
    hub = Hub(app, board, translate)

    @api.get(
        "/stream",
        summary="Live events of the caller's units (Server-Sent Events; resume with Last-Event-ID)",
        response_class=EventSourceResponse,
    )
    async def stream(
        principal: Subscriber,
        last_event_id: Annotated[
            int | None, Header(ge=0, description="Last notification id received")
        ] = None,
    ) -> AsyncIterator[ServerSentEvent]:
        visible = visibility(app, principal)
        queue, position = await hub.subscribe()
        try:
            yield ServerSentEvent(retry=1000, comment="connected")
            sent = position if last_event_id is None else last_event_id
            for item in await asyncio.to_thread(hub.backlog, sent, position):
                if visible(item):
                    yield item.event()
            sent = max(sent, position)
            while True:
                next_item = await queue.get()
                if next_item is None:
                    return  # overrun: the client reconnects with Last-Event-ID
                if next_item.id > sent and visible(next_item):
                    yield next_item.event()
                sent = max(sent, next_item.id)
        finally:
            hub.unsubscribe(queue)

    return api
