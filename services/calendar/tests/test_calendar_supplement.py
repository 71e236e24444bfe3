"""The clock while waiting for a supplement: pause (carry over) or restart (count again)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

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


def vn_instant(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=VN)


# (rule, received, paused, resumed, new due, why): the table of cases is data, one case a line.
CASES = [
    (rule(DeadlineKind(kind), amount, SupplementPolicy(policy)), *map(vn_instant, instants), why)
    for amount, kind, policy, *instants, why in yaml.safe_load(
        (Path(__file__).parent / "supplement_due_times.yaml").read_text(encoding="utf-8")
    )
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
    three_days = rule(DeadlineKind.WORKING_DAYS, 3, SupplementPolicy.PAUSE)
    with pytest.raises(ValueError, match="paused_at"):
        due_after_supplement(vn(2025, 5, 12, 10), three_days, vn(2025, 5, 14, 10), vn(2025, 5, 13, 10))
