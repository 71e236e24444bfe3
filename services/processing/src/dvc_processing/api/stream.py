"""HTTP: a live stream of processing's public events for officer tools (Server-Sent Events).

`GET /v1/stream` sends each public event of processing's store as `id:` (the notification id),
`event:` (the event type) and `data:` (the envelope JSON, as on the topic). A client that
reconnects with `Last-Event-ID` first gets everything stored after that id, then the live
events, so nothing is missed. Officers see their units' events, supervisors also those of the
units under theirs, auditors everything (the access log of staff reads only auditors).
The follower that reads the log for every subscriber is a projection (`projections/stream.py`).

The framing, the keep-alive comments (every 15 s of silence) and the no-cache headers are
FastAPI's own (`EventSourceResponse`), which also lists the stream and its event schema in the
OpenAPI document.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Header
from fastapi.sse import EventSourceResponse, ServerSentEvent

from dvc_contracts.topics import PROCESSING_ACCESS
from dvc_kernel.auth.fastapi import require_roles
from dvc_kernel.auth.principal import Principal, Role
from dvc_kernel.envelopes import Translate

from ..application import ProcessingApplication
from ..projections.board import Board
from ..projections.stream import Hub, Item

Subscriber = Annotated[Principal, Depends(require_roles(Role.OFFICER, Role.SUPERVISOR, Role.AUDITOR))]


def visibility(app: ProcessingApplication, principal: Principal) -> Callable[[Item], bool]:
    units = app.units_overseen(principal)
    if units is None:
        return lambda item: True
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
            for item in await hub.backlog(sent, position):
                if visible(item):
                    yield _event(item)
            sent = max(sent, position)
            while True:
                next_item = await queue.get()
                if next_item is None:
                    return  # overrun: the client reconnects with Last-Event-ID
                if next_item.id > sent and visible(next_item):
                    yield _event(next_item)
                sent = max(sent, next_item.id)
        finally:
            hub.unsubscribe(queue)

    return api


def _event(item: Item) -> ServerSentEvent:
    # raw_data: the envelope's JSON as on the topic, not JSON-encoded a second time
    return ServerSentEvent(id=str(item.id), event=item.event_type, raw_data=item.data)
