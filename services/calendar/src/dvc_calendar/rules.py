"""How a procedure's deadline is counted: a small explicit rule the catalog data maps onto."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from enum import StrEnum
from typing import Any


class DeadlineKind(StrEnum):
    IMMEDIATE = "immediate"  # "ngay", e.g. lodging notices: due when received
    WORKING_DAYS = "working_days"  # N ngày làm việc
    HALF_WORKING_DAYS = "half_working_days"  # N × ½ ngày làm việc, counted in working hours
    WORKING_HOURS = "working_hours"  # N giờ làm việc
    CALENDAR_DAYS = "calendar_days"  # N ngày (calendar days)


class SupplementPolicy(StrEnum):
    """What a request to supplement the dossier does to the clock (UNSURE in law: per rule)."""

    PAUSE = "pause"  # the remaining time is carried over after the supplement
    RESTART = "restart"  # the full deadline runs again from the resubmission


@dataclass(frozen=True, slots=True, kw_only=True)
class DeadlineRule:
    """One procedure's deadline.

    saturday_morning_reception: the window also opens on Saturday morning (residence).
    after_cutoff_next_day: a dossier received after this time on a working day counts as
    received when the next working day opens (e.g. 15:00); None (the default) disables it.
    """

    kind: DeadlineKind
    amount: int
    on_supplement: SupplementPolicy
    saturday_morning_reception: bool = False
    after_cutoff_next_day: time | None = None

    def __post_init__(self) -> None:
        if self.kind is DeadlineKind.IMMEDIATE and self.amount != 0:
            raise ValueError("an immediate deadline has amount 0")
        if self.kind is not DeadlineKind.IMMEDIATE and self.amount < 1:
            raise ValueError(f"a {self.kind.value} deadline needs a positive amount")


def parse_deadline_rule(data: Mapping[str, Any]) -> DeadlineRule:
    """Build a rule from catalog data, e.g. {"kind": "working_days", "amount": 3,
    "on_supplement": "restart", "saturday_morning_reception": true,
    "after_cutoff_next_day": "15:00"}; any problem raises ValueError naming the field."""
    try:
        kind = DeadlineKind(data["kind"])
        on_supplement = SupplementPolicy(data["on_supplement"])
    except KeyError as exc:
        raise ValueError(f"deadline rule: field {exc.args[0]!r} is required") from None
    amount = data.get("amount", 0)
    saturday = data.get("saturday_morning_reception", False)
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise ValueError(f"deadline rule: field 'amount' must be an integer, got {amount!r}")
    if not isinstance(saturday, bool):
        raise ValueError("deadline rule: field 'saturday_morning_reception' must be a boolean")
    cutoff = data.get("after_cutoff_next_day")
    if cutoff is not None and not isinstance(cutoff, time):
        try:
            cutoff = time.fromisoformat(str(cutoff))
        except ValueError:
            raise ValueError(
                f"deadline rule: field 'after_cutoff_next_day' must be HH:MM, got {cutoff!r}"
            ) from None
    return DeadlineRule(
        kind=kind,
        amount=amount,
        on_supplement=on_supplement,
        saturday_morning_reception=saturday,
        after_cutoff_next_day=cutoff,
    )
