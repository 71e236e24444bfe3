"""Every public event type, by name, and parsing of envelopes into typed payloads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .access import DossierViewed
from .base import EventPayload
from .case import (
    ApologyIssued,
    Approved,
    Assigned,
    DeadlineBreached,
    DeadlineDueSoon,
    DueDateRecalculated,
    Noted,
    Refused,
    ResubmissionReceived,
    SupplementRequested,
    Transferred,
    WithdrawalAcknowledged,
)
from .catalog import ProcedureVersionPublished, UnitPublished
from .complaint import ComplaintFiled, ComplaintResolved
from .delivery import DELIVERY_EVENTS, ResultRecordRead
from .dossier import (
    Accepted,
    FeePaid,
    Received,
    RejectedWithReason,
    Resubmitted,
    ResultIssued,
    Submitted,
    Withdrawn,
)
from .envelope import Envelope
from .identity import IDENTITY_EVENTS
from .inbox import INBOX_EVENTS
from .lodging import LodgingNoticeFiled, LodgingNoticeReceived
from .notify import NOTIFY_EVENTS
from .payment import FeeAssessed, Refunded

_ALL: tuple[type[EventPayload], ...] = (
    *IDENTITY_EVENTS,
    Submitted,
    Received,
    Accepted,
    RejectedWithReason,
    FeePaid,
    ResultIssued,
    ProcedureVersionPublished,
    UnitPublished,
    Resubmitted,
    Withdrawn,
    Assigned,
    SupplementRequested,
    ResubmissionReceived,
    Approved,
    Refused,
    Transferred,
    WithdrawalAcknowledged,
    DeadlineDueSoon,
    DeadlineBreached,
    ApologyIssued,
    DueDateRecalculated,
    LodgingNoticeFiled,
    LodgingNoticeReceived,
    ComplaintFiled,
    ComplaintResolved,
    DossierViewed,
    FeeAssessed,
    Refunded,
    *DELIVERY_EVENTS,
    ResultRecordRead,
    Noted,
    *NOTIFY_EVENTS,
    *INBOX_EVENTS,
)
EVENT_TYPES: dict[str, type[EventPayload]] = {cls.event_type: cls for cls in _ALL}


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
