"""Following a service's own notification log in order: for projections and dispatchers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from eventsourcing.persistence import Notification

from . import commits
from .application import ServiceApplication
from .threads import in_store

Handle = Callable[[Notification, Any], Awaitable[None]]


async def follow_log(
    app: ServiceApplication,
    after: int,
    handle: Handle,
    *,
    topics: Sequence[str] = (),
    idle_seconds: float = 30.0,
    batch_size: int = 500,
) -> None:
    """Hand every notification after `after` (and its domain event) to `handle`, forever.

    `handle` is awaited one notification at a time, in order; the position only moves on once
    it returned, so whatever it records about its progress stays exact. With nothing new, it
    waits for the store's next commit (or `idle_seconds`, whichever comes first).

    With `topics`, only those events are handed on, and the part of the log already looked at
    is not read again (the store has no index by topic: each look reads only what is new).
    """
    woken = app.commits.subscribe()
    position = after
    try:
        while True:
            woken.clear()
            newest, notifications = await in_store(_next, app, position, batch_size, topics)
            for notification in notifications:
                await handle(notification, app.mapper.to_domain_event(notification))
                position = notification.id
            if len(notifications) < batch_size:
                position = max(position, newest)  # everything up to `newest` has been looked at
                await commits.wait(woken, idle_seconds)
    finally:
        app.commits.unsubscribe(woken)


def _next(
    app: ServiceApplication, position: int, batch_size: int, topics: Sequence[str]
) -> tuple[int, list[Notification]]:
    newest = app.position_of_log()
    if newest <= position:
        return newest, []
    found = app.recorder.select_notifications(position + 1, batch_size, newest, list(topics))
    return newest, list(found)
