"""Notify's domain events -> public contract events (recipients masked, no text).

The public events name the message's dossier, channel and template, which the message's first
event holds; the translation reads the message as it stood at the translated event's version,
so translating the same stored event always gives the same public event.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any
from uuid import UUID

from dvc_contracts import EventPayload
from dvc_contracts.notify import (
    DeadLetter,
    FailedAttempt,
    MessageDeadLettered,
    MessageDelivered,
    MessageSent,
)
from dvc_kernel.envelopes import Outgoing, Translate

from .domain.masking import mask
from .domain.message import Message
from .domain.sms import segments

LoadMessage = Callable[[UUID, int], Message]


def header(message: Message) -> dict[str, Any]:
    return {
        "message_id": message.id,
        "source_event_id": UUID(message.source_event_id),
        "dossier_id": message.dossier_id,
        "dossier_code": message.dossier_code,
        "channel": message.channel,
        "template": message.template,
        "recipient": mask(message.channel, message.recipient),
    }


def _payload(event: Any, message: Message) -> EventPayload | None:
    ids = header(message)
    if isinstance(event, Message.Sent):
        return MessageSent(
            **ids,
            provider_ref=event.provider_ref,
            attempts=event.attempt,
            sent_at=event.at,
            segments=segments(message.text) if message.channel == "sms" else None,
        )
    if isinstance(event, Message.Delivered):
        return MessageDelivered(**ids, detail=event.detail, delivered_at=event.at)
    if isinstance(event, Message.DeadLettered):
        return MessageDeadLettered(
            **ids, reason=event.reason, attempts=event.attempts, dead_lettered_at=event.at
        )
    if isinstance(event, Message.DeadLetterFiled):
        return DeadLetter(
            **ids,
            reason=event.reason,
            failures=[FailedAttempt(**f) for f in event.failures],
            dead_lettered_at=event.at,
        )
    return None


PUBLISHED = (Message.Sent, Message.Delivered, Message.DeadLettered, Message.DeadLetterFiled)


def translator(load: LoadMessage, remember: int = 10_000) -> Translate:
    """`load(message_id, version)` reads a message from notify's store.

    What the public events say about a message never changes after `Queued`; the relay sees
    each `Queued` before the message's later events, so it keeps the last `remember` messages
    from their `Queued` instead of reading each back from the store."""
    known: OrderedDict[UUID, Message] = OrderedDict()

    def translate(event: Any) -> Outgoing | None:
        if isinstance(event, Message.Queued):
            queued: Any = event
            known[event.originator_id] = queued.mutate(None)
            while len(known) > remember:
                known.popitem(last=False)
            return None
        if not isinstance(event, PUBLISHED):
            return None
        message = known.get(event.originator_id) or load(event.originator_id, event.originator_version)
        payload = _payload(event, message)
        if payload is None:
            return None
        return Outgoing(
            topic=payload.topic, key=str(event.originator_id), payload=payload, occurred_at=event.at
        )

    return translate
