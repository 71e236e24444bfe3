"""Percentiles of one run, and the median and spread of a figure over repeated runs."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), linear between closest ranks (numpy's default); NaN when empty."""
    if not 0 <= q <= 100:
        raise ValueError(f"percentile {q} is not within 0..100")
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def slope(points: Sequence[tuple[float, float]]) -> float:
    """Least-squares slope of y over x: how fast a sampled quantity grows; 0 with fewer than two x."""
    if len({x for x, _ in points}) < 2:
        return 0.0
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    covariance = sum((x - mean_x) * (y - mean_y) for x, y in points)
    variance = sum((x - mean_x) ** 2 for x, _ in points)
    return covariance / variance


@dataclass(frozen=True)
class Spread:
    """A figure over repeated runs: the median we report, and how far the runs were apart."""

    median: float
    low: float  # the smallest run
    high: float  # the largest run
    q1: float
    q3: float
    runs: int

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        kept = [v for v in values if not math.isnan(v)]
        return cls(
            median=percentile(kept, 50),
            low=min(kept, default=math.nan),
            high=max(kept, default=math.nan),
            q1=percentile(kept, 25),
            q3=percentile(kept, 75),
            runs=len(kept),
        )

    def as_json(self) -> dict[str, float | int | None]:
        def clean(v: float) -> float | None:
            return None if math.isnan(v) else v

        return {
            "median": clean(self.median),
            "min": clean(self.low),
            "max": clean(self.high),
            "q1": clean(self.q1),
            "q3": clean(self.q3),
            "runs": self.runs,
        }
