"""The subject a unit of work is about (the fields `dvc_contracts.subjects.CONTEXT_FIELDS`
names), for the logs of that work (and its spans' attributes).

A context variable, so it follows the request or the consumed message into worker threads
(`asyncio.to_thread` and Starlette's thread pool copy the context) and never leaks across.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

from dvc_contracts.subjects import CONTEXT_FIELDS

_about: ContextVar[Mapping[str, str] | None] = ContextVar("dvc_about", default=None)

KEYS = CONTEXT_FIELDS


def about() -> Mapping[str, str]:
    """What the current work is known to be about (some of `KEYS`), or nothing."""
    return _about.get() or {}


def bind(**ids: object) -> None:
    """Say what the current work is about (None values and unknown names are ignored)."""
    known = {k: str(v) for k, v in ids.items() if k in KEYS and v is not None}
    if known:
        _about.set({**about(), **known})


@contextmanager
def scope() -> Iterator[None]:
    """Work inside starts knowing nothing; what it binds is forgotten when it ends."""
    token = _about.set(None)
    try:
        yield
    finally:
        _about.reset(token)


def of_payload(payload: Mapping[str, object]) -> dict[str, object]:
    """The subject's fields an event payload names."""
    return {k: payload[k] for k in KEYS if k in payload}
