"""Read-your-writes: a command's answer names the position of what it wrote (a consistency
token); a view given the token waits, a bounded time, until it has applied that position.

A token is `<producer>@<position>` for a write a service's own views follow by its
notification log (`processing@1234`), or `<producer>/<aggregate id>@<version>` for a write
another service learns through a topic (`intake/6f1c…@3`: intake's dossier at version 3).
Views take it from the `X-Consistency-Token` header or the `consistency` query parameter. A
view that cannot see the write within the bound answers 503 with `Retry-After` (never a stale
"not found"); a token it cannot judge (another producer's log position) is ignored, as is a
missing one.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from fastapi.responses import JSONResponse

from .errors import refusal_response
from .refusal import Kind, Refusal

HEADER = "X-Consistency-Token"
WAIT_SECONDS = 2.0
_POLL_SECONDS = 0.005
_TOKEN = re.compile(r"^(?P<producer>[a-z]+)(?:/(?P<subject>[0-9a-fA-F-]{36}))?@(?P<position>\d{1,18})$")


@dataclass(frozen=True)
class Token:
    producer: str
    position: int  # a notification id, or the aggregate's version when `subject` is set
    subject: UUID | None = None

    def __str__(self) -> str:
        where = f"/{self.subject}" if self.subject else ""
        return f"{self.producer}{where}@{self.position}"


def log_token(producer: str, position: int) -> str:
    return str(Token(producer, position))


def aggregate_token(producer: str, aggregate_id: UUID, version: int) -> str:
    return str(Token(producer, version, aggregate_id))


def parse(header: str | None, parameter: str | None) -> Token | None:
    raw = parameter or header
    if not raw:
        return None
    match = _TOKEN.match(raw.strip())
    if match is None:
        raise Refusal(
            "invalid_consistency_token",
            "Mã nhất quán (consistency token) không đúng định dạng, ví dụ processing@1234.",
            Kind.INVALID,
        )
    subject = match.group("subject")
    return Token(match.group("producer"), int(match.group("position")), UUID(subject) if subject else None)


async def visible(check: Callable[[], bool], within: float | None = None) -> bool:
    """Whether `check` comes true within `within` seconds (default `WAIT_SECONDS`; polled, the
    first look at once)."""
    deadline = time.monotonic() + (WAIT_SECONDS if within is None else within)
    while True:
        if await asyncio.to_thread(check):
            return True
        if time.monotonic() >= deadline:
            return False
        await asyncio.sleep(_POLL_SECONDS)


def not_yet_visible(token: Token) -> JSONResponse:
    """503 with `Retry-After`, a problem like every other error answer (issue 14)."""
    return refusal_response(
        Refusal(
            "not_yet_visible",
            "Dữ liệu vừa cập nhật chưa hiển thị kịp. Vui lòng thử lại sau giây lát.",
            Kind.UNAVAILABLE,
            headers={"Retry-After": "1"},
            consistency_token=str(token),
        )
    )
