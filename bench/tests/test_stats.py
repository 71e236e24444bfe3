"""The statistics the benchmark reports: percentiles, growth and the spread over runs."""

from __future__ import annotations

import math

import pytest

from bench.knee import Limits, growth_per_second, verdict
from bench.stats import Spread, percentile, slope


def test_percentiles_interpolate_between_closest_ranks_as_numpy_does() -> None:
    values = [15.0, 20.0, 35.0, 40.0, 50.0]
    assert percentile(values, 0) == 15
    assert percentile(values, 50) == 35
    assert percentile(values, 100) == 50
    assert percentile(values, 40) == pytest.approx(29.0)  # rank 1.6: 20 + 0.6 × 15
    assert percentile(list(reversed(values)), 40) == pytest.approx(29.0)  # order does not matter


def test_a_high_percentile_of_few_samples_is_near_their_maximum() -> None:
    samples = [float(n) for n in range(1, 101)]  # 1..100
    assert percentile(samples, 99) == pytest.approx(99.01)
    assert percentile(samples, 99.9) == pytest.approx(99.901)


def test_a_percentile_of_nothing_is_not_a_number_and_a_bad_rank_is_refused() -> None:
    assert math.isnan(percentile([], 99))
    with pytest.raises(ValueError):
        percentile([1.0], 101)


def test_the_spread_over_runs_is_their_median_range_and_quartiles() -> None:
    spread = Spread.of([12.0, 10.0, 11.0])
    assert (spread.median, spread.low, spread.high, spread.runs) == (11.0, 10.0, 12.0, 3)
    assert (spread.q1, spread.q3) == (10.5, 11.5)


def test_a_run_without_the_figure_does_not_count_and_json_has_no_nan() -> None:
    spread = Spread.of([math.nan, 4.0])
    assert spread.runs == 1 and spread.median == 4.0
    assert Spread.of([]).as_json()["median"] is None


def test_slope_is_the_least_squares_growth_per_unit() -> None:
    assert slope([(0, 1), (1, 3), (2, 5)]) == pytest.approx(2.0)
    assert slope([(0, 4), (1, 4), (2, 4)]) == 0
    assert slope([(1, 4)]) == 0  # one point tells nothing


def test_outstanding_growth_is_judged_on_the_second_half_of_the_step() -> None:
    # Level at first (the pipeline fills), then growing by 3 a second: the growth counts.
    samples = [(t / 4, 10.0 if t < 40 else 10.0 + 3 * (t / 4 - 10)) for t in range(80)]
    assert growth_per_second(samples, 20) == pytest.approx(3.0)
    # Filling up during the first half and level afterwards is a pipeline that keeps up.
    filling = [(t / 4, min(t / 4, 5) * 2) for t in range(80)]
    assert growth_per_second(filling, 20) == pytest.approx(0.0)


LIMITS = Limits(http_p99_ms=1000, e2e_p99_ms=3000, growth=0.1)


def test_a_step_within_every_limit_is_sustained() -> None:
    assert verdict(10, 120, 900, 0.5, failed=0, unreceived=0, limits=LIMITS) == []


def test_a_step_is_past_the_knee_for_each_limit_it_breaks() -> None:
    reasons = verdict(10, 1500, 9000, 2.0, failed=3, unreceived=4, limits=LIMITS)
    assert reasons == [
        "3 requests failed",
        "4 dossiers not received within the drain time",
        "HTTP p99 1500 ms ≥ 1000 ms",
        "end-to-end p99 9000 ms ≥ 3000 ms",
        "outstanding grew 2.0/s > 1.0/s",
    ]


def test_the_latency_targets_are_strict_bounds() -> None:
    targets = Limits(http_p99_ms=100, e2e_p99_ms=250, growth=0.1)
    assert verdict(300, 99.9, 249.9, 0, failed=0, unreceived=0, limits=targets) == []
    assert verdict(300, 100, 250, 0, failed=0, unreceived=0, limits=targets) == [
        "HTTP p99 100 ms ≥ 100 ms",
        "end-to-end p99 250 ms ≥ 250 ms",
    ]


def test_at_low_rates_growth_below_half_a_dossier_a_second_is_noise() -> None:
    assert verdict(2, 100, 500, 0.45, failed=0, unreceived=0, limits=LIMITS) == []
    assert verdict(2, 100, 500, 0.6, failed=0, unreceived=0, limits=LIMITS) == [
        "outstanding grew 0.6/s > 0.5/s"
    ]


def test_a_step_without_any_answer_is_not_sustained() -> None:
    assert verdict(10, math.nan, math.nan, 0, failed=0, unreceived=0, limits=LIMITS)
