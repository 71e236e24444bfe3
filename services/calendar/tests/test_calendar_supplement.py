"""The clock while waiting for a supplement: pause (carry over) or restart (count again)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from dvc_calendar import (
    DeadlineKind,
    DeadlineRule,
    SupplementPolicy,
    due_after_supplement,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def vn(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=VN)


def rule(kind: DeadlineKind, amount: int, policy: SupplementPolicy) -> DeadlineRule:
    return DeadlineRule(kind=kind, amount=amount, on_supplement=policy, saturday_morning_reception=True)


PAUSE, RESTART = SupplementPolicy.PAUSE, SupplementPolicy.RESTART
DAYS, HALF, CAL = DeadlineKind.WORKING_DAYS, DeadlineKind.HALF_WORKING_DAYS, DeadlineKind.CALENDAR_DAYS

# (rule, received, paused, resumed, new due, why)
CASES = [
    (
        rule(DAYS, 3, PAUSE),
        vn(2025, 5, 12, 10),
        vn(2025, 5, 14, 10),
        vn(2025, 5, 19, 9),
        vn(2025, 5, 21, 17),
        "planned 13, 14, 15/05; paused on 14/05 so 14 and 15 remain; resumed Mon 19/05: 20, 21/05",
    ),
    (
        rule(DAYS, 3, RESTART),
        vn(2025, 5, 12, 10),
        vn(2025, 5, 14, 10),
        vn(2025, 5, 19, 9),
        vn(2025, 5, 22, 17),
        "restart: the full 3 working days after Mon 19/05: 20, 21, 22/05",
    ),
    (
        rule(HALF, 1, PAUSE),
        vn(2025, 5, 12, 8),
        vn(2025, 5, 12, 10),
        vn(2025, 5, 13, 16),
        vn(2025, 5, 14, 8, 30),
        "due 13:30; paused 10:00 leaves 1h30 + 30 min = 2 h; 1 h Tue 16–17, 1 h Wed from 07:30",
    ),
    (
        rule(DAYS, 3, PAUSE),
        vn(2025, 5, 12, 10),
        vn(2025, 5, 16, 9),
        vn(2025, 5, 19, 9),
        vn(2025, 5, 15, 17),
        "supplement asked after the deadline passed: the delay stands",
    ),
    (
        rule(DAYS, 3, PAUSE),
        vn(2025, 4, 28, 10),
        vn(2025, 4, 29, 10),
        vn(2025, 4, 30, 9),
        vn(2025, 5, 8, 17),
        "planned 29/04, 05, 06/05, all remain; resubmitted on a holiday, counts from Mon 05/05: "
        "06, 07, 08/05",
    ),
    (
        rule(CAL, 30, PAUSE),
        vn(2025, 5, 12, 10),
        vn(2025, 6, 2, 10),
        vn(2025, 6, 16, 9),
        vn(2025, 6, 26, 17),
        "last day 11/06; 02/06–11/06 = 10 days remain; 16/06 + 10 = Thu 26/06",
    ),
]


@pytest.mark.parametrize(
    ("deadline_rule", "received", "paused", "resumed", "due", "why"),
    CASES,
    ids=[c[5][:60] for c in CASES],
)
def test_due_after_supplement(
    deadline_rule: DeadlineRule,
    received: datetime,
    paused: datetime,
    resumed: datetime,
    due: datetime,
    why: str,
) -> None:
    result = due_after_supplement(received, deadline_rule, paused, resumed)
    assert result.due_at == due, why
    assert result.steps


def test_out_of_order_instants_are_refused() -> None:
    with pytest.raises(ValueError, match="paused_at"):
        due_after_supplement(
            vn(2025, 5, 12, 10), rule(DAYS, 3, PAUSE), vn(2025, 5, 14, 10), vn(2025, 5, 13, 10)
        )
