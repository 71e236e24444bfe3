"""Every public event type, by name, and parsing of envelopes into typed payloads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import access, case, catalog, complaint, delivery, dossier, identity, inbox, lodging, notify, payment
from .base import EventPayload
from .envelope import Envelope

# The modules that define public events. Every class of theirs that names its own `event_type`
# is one, so an event type is registered by being written there.
_MODULES = (identity, dossier, catalog, case, lodging, complaint, access, payment, delivery, notify, inbox)
EVENT_TYPES: dict[str, type[EventPayload]] = {
    cls.event_type: cls
    for module in _MODULES
    for cls in vars(module).values()
    if isinstance(cls, type) and issubclass(cls, EventPayload) and "event_type" in vars(cls)
}


class UnknownEventType(ValueError):
    pass


class PersonalDataErased(UnknownEventType):
    """The data key of the event's personal fields was erased (crypto-shredding): the event can
    no longer be read, and a consumer skips it as it skips an event type it does not know."""


# Opens the sealed personal fields of a payload (cls, wire payload, envelope subject) -> payload;
# installed by the platform's kernel (dvc_kernel.personal_data), which holds the keys.
Opener = Callable[[type[EventPayload], dict[str, Any], str], dict[str, Any]]
_opener: Opener | None = None


def install_opener(opener: Opener | None) -> None:
    global _opener
    _opener = opener


def payload_of(envelope: Envelope) -> EventPayload:
    """The envelope's payload as its typed model (validates it)."""
    try:
        cls = EVENT_TYPES[envelope.event_type]
    except KeyError:
        raise UnknownEventType(envelope.event_type) from None
    if envelope.schema_version != cls.schema_version:
        raise UnknownEventType(f"{envelope.event_type} v{envelope.schema_version}")
    if cls.personal and _opener is not None:
        return cls.model_validate(_opener(cls, envelope.payload, envelope.subject))
    return cls.model_validate(envelope.payload)


def parse(raw: bytes | str) -> tuple[Envelope, EventPayload]:
    envelope = Envelope.model_validate_json(raw)
    return envelope, payload_of(envelope)
