"""The view-lag figures: per view, from the filing's acknowledgement to its showing."""

from __future__ import annotations

import math

from bench.view_lag import line, summarise


def filed(tracking: float | None, read: tuple[float, int] | None = None) -> dict[str, object]:
    found: dict[str, object] = {
        "filed": True,
        "views": {
            "processing_tracking": tracking,
            "payment_fee": 0.030,
            "notify_inbox": 0.050,
            "intake_status_received": 0.060,
        },
    }
    if read is not None:
        found["token_read_s"], found["token_read_status"] = read
    return found


def test_each_view_has_its_percentiles_and_a_view_that_never_showed_is_counted() -> None:
    summary = summarise([filed(0.010), filed(0.020, (0.015, 200)), filed(None, (2.0, 503))])
    assert summary["filed"] == 3
    assert summary["processing_tracking"]["never_shown"] == 1
    assert math.isclose(summary["processing_tracking"]["p50_ms"], 15.0)
    assert summary["token_read"] == {
        "reads": 2,
        "p50_ms": 1007.5,
        "p99_ms": summary["token_read"]["p99_ms"],
        "not_200": 1,
    }
    assert "a read with the token waited" in line(summary)
