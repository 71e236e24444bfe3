"""What an SMS costs and when it may go out.

**Segments.** Operators bill per segment. A text entirely in the GSM 03.38 alphabet takes 160
characters in one segment, 153 per segment when split; anything else (Vietnamese with its
diacritics) is sent in UCS-2: 70 UTF-16 units in one segment, 67 per segment when split.

**Quiet hours.** Messages nobody is waiting for are held from 21:00 to 07:00 Vietnam time and
go out at 07:00: a receipt at 01:44 wakes a citizen for nothing. Urgent texts go at once: the
one-time codes (sent by their own route, never queued) and the payment confirmation a citizen
who just paid is waiting for.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from dvc_kernel.clock import VIETNAM

_GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")  # two septets each (escape + character)

# Templates a citizen is waiting for at any hour (a payment they just made).
URGENT_TEMPLATES = frozenset({"fee_paid"})


@dataclass(frozen=True)
class QuietHours:
    """From `start` (Vietnam time) to `end` the next morning."""

    start: time = time(21, 0)
    end: time = time(7, 0)

    @classmethod
    def parse(cls, text: str) -> QuietHours | None:
        """`21:00-07:00`, or `off` (stacks for development, tests and the benchmark)."""
        if text.strip().lower() == "off":
            return None
        start, end = (time.fromisoformat(part.strip()) for part in text.split("-"))
        return cls(start, end)


QUIET_HOURS = QuietHours()


def segments(text: str) -> int:
    """How many SMS segments `text` is billed as."""
    if all(ch in _GSM7_BASIC or ch in _GSM7_EXTENDED for ch in text):
        septets = len(text) + sum(ch in _GSM7_EXTENDED for ch in text)
        return 1 if septets <= 160 else math.ceil(septets / 153)
    units = len(text.encode("utf-16-le")) // 2
    return 1 if units <= 70 else math.ceil(units / 67)


def send_not_before(queued_at: datetime, template: str, quiet: QuietHours | None = QUIET_HOURS) -> datetime:
    """When an SMS queued at `queued_at` may be sent: at once, or at the end of quiet hours."""
    if quiet is None or template in URGENT_TEMPLATES:
        return queued_at
    local = queued_at.astimezone(VIETNAM)
    if quiet.end <= local.time() < quiet.start:
        return queued_at
    day = local.date() if local.time() < quiet.end else local.date() + timedelta(days=1)
    return datetime.combine(day, quiet.end, tzinfo=VIETNAM)
