"""The notification log for auditors: every stored event of a service, in order, read-only.

`GET /v1/audit/notifications?after=<id>&limit=<n>` pages through the event store's
notification log. Each item gives the stored event's notification id, class topic,
originator, version and timestamp and, when the event is public, the envelope exactly as the
relay publishes it: same translation, same hash chain rebuilt from the store, so an auditor
can compare the store with the topic hash for hash. Auditors only.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from dvc_contracts import Envelope
from dvc_contracts.registry import PersonalDataErased

from .application import ServiceApplication
from .attribute_views import view_of
from .auth.fastapi import require_roles
from .auth.principal import Principal, Role
from .envelopes import HashChain, Translate

Auditor = Annotated[Principal, Depends(require_roles(Role.AUDITOR))]
MAX_LIMIT = 1000
MAX_NOTIFICATION_ID = 2**63 - 1


class StoredEvent(BaseModel):
    id: int = Field(description="Notification id: the event's position in the service's store.")
    topic: str = Field(description="Class topic of the stored domain event.")
    originator_id: UUID = Field(description="Aggregate id.")
    originator_version: int = Field(description="Aggregate version after the event.")
    timestamp: datetime = Field(description="When it was stored (UTC).")
    public_topic: str | None = Field(description="Kafka topic it is published on; null when internal.")
    envelope: Envelope | None = Field(
        description="The public envelope as published; null when internal or its personal data erased."
    )


class NotificationPage(BaseModel):
    items: list[StoredEvent]
    next_after: int = Field(description="Pass as `after` to read the next page.")
    max_id: int = Field(description="Highest notification id in the store now.")


def router(app: ServiceApplication, translate: Translate, producer: str) -> APIRouter:
    api = APIRouter(prefix="/v1/audit", tags=["audit"])
    chain = HashChain(translate, producer, _history(app))
    lock = threading.Lock()  # the chain's cache is shared by requests served in threads

    def page(after: int, limit: int) -> NotificationPage:
        notifications = (
            app.recorder.select_notifications(after + 1, limit) if after < MAX_NOTIFICATION_ID else []
        )
        items: list[StoredEvent] = []
        with lock:
            for notification in notifications:
                event: Any = app.mapper.to_domain_event(notification)
                out = translate(event)
                envelope = None
                if out is not None:
                    # Its subject's data key erased: the topic keeps the sealed copy, and its hash.
                    with contextlib.suppress(PersonalDataErased):
                        envelope = chain.envelope(event, out)
                items.append(
                    view_of(
                        StoredEvent,
                        notification,
                        timestamp=event.timestamp,
                        public_topic=out.topic if out else None,
                        envelope=envelope,
                    )
                )
        last = notifications[-1].id if notifications else after
        return NotificationPage(items=items, next_after=last, max_id=app.recorder.max_notification_id() or 0)

    @api.get("/notifications", response_model=NotificationPage, summary="The event store, page by page")
    async def notifications(
        _: Auditor,
        # Notification ids are 64-bit integers in every store: a larger `after` is a 422, not
        # an overflow in the database driver (issue 14).
        after: Annotated[
            int, Query(ge=0, le=MAX_NOTIFICATION_ID, description="Last notification id already read")
        ] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
    ) -> NotificationPage:
        return await asyncio.to_thread(page, after, limit)

    return api


def _history(app: ServiceApplication) -> Any:
    def history(originator: UUID, up_to_version: int) -> list[Any]:
        return list(app.events.get(originator, lte=up_to_version)) if up_to_version >= 1 else []

    return history
