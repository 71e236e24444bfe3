"""From a run's steps to its figures: the cost curve's steps, the ratios, and what fails a run."""

from __future__ import annotations

import math
from typing import Any

import pytest

from bench.figures import cost_curve, figures, integrity_failures, lodging_figures, ratio, same_rate


def step(rate: float, sustained: bool, cost: float, **more: Any) -> dict[str, Any]:
    latencies = {f"{kind}_{p}_ms": 10.0 for kind in ("http", "e2e") for p in ("p50", "p95", "p99", "p999")}
    return {
        "offered_per_s": rate,
        "sustained": sustained,
        "cpu_ms_per_item_platform": cost,
        "cpu_ms_per_item": {"intake": cost / 2, "kafka": cost / 2, "loadgen": 0.1},
        "received_per_s": rate if sustained else rate / 2,
        "loadgen_cpu_us_per_request": 90.0,
        "e2e_samples": int(rate * 15),
        "consumer_lag_max": 3,
        **latencies,
        **more,
    }


STEPS = [step(10, True, 30.0), step(100, True, 8.0), step(150, True, 6.0), step(225, False, 9.0)]


def run(**changes: Any) -> dict[str, Any]:
    lodging_steps = {"new": [step(150, True, 5.0)], "history": [step(150, True, 5.5)]}
    found: dict[str, Any] = {
        "run": 1,
        "broker_ready_s": 3.0,
        "services_ready_s": 15.0,
        "idle": {"cpu_percent": 1.5, "cpu_percent_by_process": {"intake": 0.5, "kafka": 1.0}},
        "steps": STEPS,
        "lodging": {
            "new": {"sustained_per_s": 150.0, "steps": lodging_steps["new"]},
            "history": {
                "sustained_per_s": 120.0,
                "notices_per_host_before": 1000,
                "steps": lodging_steps["history"],
            },
        },
        "memory_kib": {"intake": {"VmRSS": 2048, "VmHWM": 4096}},
        "traffic": {
            "messages_per_dossier": 12.0,
            "transaction_markers_per_dossier": 0.5,
            "message_bytes_mean": 900,
        },
        "replay": {"events_per_s": 60_000.0, "seconds_per_million_events": 16.7, "events": 100_000},
        "baseline": {"messages_per_s": 30_000.0, "message_bytes": 900},
        "integrity": {"dossiers": 5000, "lost": 0, "duplicated": 0, "notices": 300, "notices_lost": 0},
    }
    found.update(changes)
    return found


def test_the_cost_curve_is_the_first_step_at_each_curve_rate_and_the_sustained_one() -> None:
    curve = cost_curve(STEPS, (10, 100, 1000), STEPS[2])
    assert {name: s["cpu_ms_per_item_platform"] for name, s in curve.items()} == {
        "at_10": 30.0,
        "at_100": 8.0,
        "at_sustained": 6.0,
    }  # no step ran at 1000/s: no point for it
    failing = [step(10, True, 30.0), step(100, False, 12.0)]
    assert cost_curve(failing, (10, 100), failing[0])["at_100"]["cpu_ms_per_item_platform"] == 12.0


def test_a_ratio_needs_both_figures() -> None:
    assert ratio(3, 4) == 0.75
    assert math.isnan(ratio(3, 0)) and math.isnan(ratio(math.nan, 4)) and math.isnan(ratio(3, math.nan))


def test_the_pipelines_messages_per_second_over_the_baseline() -> None:
    found = figures(run(), (10, 100))
    assert found["sustained_per_s"] == 150 and found["cpu_ms_per_dossier"] == 6.0
    assert found["pipeline_messages_per_s"] == 12.0 * 150
    assert found["ratio_to_baseline"] == pytest.approx(1800 / 30_000)
    assert found["cpu_ms_per_dossier.kafka"] == 3.0 and found["cost_curve_ms.at_100"] == 8.0
    assert found["cpu_share_percent.kafka"] == 50.0 and "cpu_share_percent.loadgen" not in found
    assert found["knee_offered_per_s"] == 225 and found["idle_cpu_percent.kafka"] == 1.0
    no_traffic = figures(run(traffic={}), (10, 100))
    assert math.isnan(no_traffic["messages_per_dossier"]) and math.isnan(no_traffic["ratio_to_baseline"])


def test_lodging_with_history_is_compared_with_new_establishments_at_the_same_rate() -> None:
    new = [step(150, True, 5.0), step(180, False, 5.2)]
    history = [step(150, True, 5.5), step(125, True, 5.4)]
    compared = same_rate(new, history)
    assert compared is not None and compared[0] == 150
    found = lodging_figures(
        {"new": {"sustained_per_s": 150, "steps": new}, "history": {"sustained_per_s": 150, "steps": history}}
    )
    assert found["lodging_history_ratio"] == 1.0
    assert found["lodging_cpu_history_ratio"] == pytest.approx(1.1)
    assert same_rate(new, [step(125, True, 5.4)]) is None


def test_a_lost_or_duplicated_dossier_or_notice_fails_the_run() -> None:
    assert integrity_failures([run()]) == {}
    bad = run(integrity={"dossiers": 10, "lost": 0, "duplicated": 1, "notices": 5, "notices_lost": 2})
    assert integrity_failures([bad]) == {1: {"duplicated": 1, "notices_lost": 2}}
