"""Public event contracts of the platform: the envelope, the payloads and the topics."""

from .base import ContractModel, EventPayload
from .envelope import Actor, Envelope
from .registry import EVENT_TYPES, parse, payload_of

__all__ = [
    "EVENT_TYPES",
    "Actor",
    "ContractModel",
    "Envelope",
    "EventPayload",
    "parse",
    "payload_of",
]
