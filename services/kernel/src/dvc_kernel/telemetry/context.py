"""The dossier a unit of work is about, for the logs of that work (and its spans' attributes).

A context variable, so it follows the request or the consumed message into worker threads
(`asyncio.to_thread` and Starlette's thread pool copy the context) and never leaks across.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

_about: ContextVar[Mapping[str, str] | None] = ContextVar("dvc_about", default=None)

KEYS = ("dossier_id", "dossier_code")


def about() -> Mapping[str, str]:
    """What the current work is known to be about: `dossier_id`, `dossier_code`, or nothing."""
    return _about.get() or {}


def bind(**ids: object) -> None:
    """Say which dossier the current work is about (None values are ignored)."""
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
    """The dossier ids an event payload names (dossier events carry both)."""
    return {k: payload[k] for k in KEYS if k in payload}
