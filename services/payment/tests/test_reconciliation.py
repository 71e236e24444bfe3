"""The daily reconciliation lists every difference between our books and the gateway's list."""

from __future__ import annotations

from datetime import UTC, date, datetime

from dvc_payment.domain.reconciliation import Movement, reconcile

DAY = date(2026, 11, 23)
AT = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)


def pay(ref: str, amount: int, channel: str = "gateway", kind: str = "payment") -> Movement:
    return Movement(channel, kind, ref, f"T{ref}", amount, AT)


def test_a_day_where_everything_matches_balances() -> None:
    ours = [pay("A", 7_000), pay("B", 10_000, "vietqr"), pay("A", 7_000, kind="refund")]
    report = reconcile(DAY, ours, list(ours))
    assert report.balanced
    assert len(report.matched) == 3
    assert report.our_total_vnd == report.gateway_total_vnd == 10_000


def test_a_payment_only_the_gateway_has_is_missing_on_our_side() -> None:
    report = reconcile(DAY, [pay("A", 7_000)], [pay("A", 7_000), pay("C", 5_000)])
    assert [m.txn_ref for m in report.missing_ours] == ["C"]
    assert not report.balanced


def test_a_payment_only_we_have_is_missing_at_the_gateway() -> None:
    report = reconcile(DAY, [pay("A", 7_000), pay("D", 7_000)], [pay("A", 7_000)])
    assert [m.txn_ref for m in report.missing_gateway] == ["D"]
    assert not report.balanced


def test_different_amounts_for_one_order_are_a_mismatch() -> None:
    report = reconcile(DAY, [pay("A", 7_000)], [pay("A", 70_000)])
    (mismatch,) = report.amount_mismatches
    assert (mismatch.ours.amount_vnd, mismatch.theirs.amount_vnd) == (7_000, 70_000)
    assert report.as_dict()["totals"] == {
        "ours_vnd": 7_000,
        "gateway_vnd": 70_000,
        "counter_vnd": 0,
        "matched": 0,
        "differences": 1,
    }


def test_cash_at_the_counter_is_totalled_apart_from_the_gateway() -> None:
    report = reconcile(DAY, [pay("QT-1", 30_000, "counter"), pay("A", 7_000)], [pay("A", 7_000)])
    assert report.balanced and report.counter_total_vnd == 30_000


def test_the_csv_lists_each_line_with_its_status_and_the_balance() -> None:
    report = reconcile(DAY, [pay("A", 7_000), pay("D", 1_000)], [pay("A", 7_000), pay("C", 5_000)])
    rows = report.as_csv().splitlines()
    assert rows[0].startswith("status,channel,kind,txn_ref")
    assert [r.split(",")[0] for r in rows[1:]] == [
        "matched",
        "missing_ours",
        "missing_gateway",
        "total",
        "balanced",
    ]
    assert rows[-1] == "balanced,,,,,no,,"
