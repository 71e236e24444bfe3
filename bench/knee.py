"""When a step of fixed arrival rate is sustained, and where the knee is."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .stats import slope

# At a few dossiers a second the outstanding count moves by a few either way between samples:
# growth below this many dossiers a second is noise, not a queue building up.
MIN_GROWTH = 0.5


@dataclass(frozen=True)
class Limits:
    http_p99_ms: float
    e2e_p99_ms: float
    growth: float  # outstanding may grow by at most this fraction of the rate, per second


def step_rates(start: float, factor: float, maximum: float) -> list[float]:
    """The offered rates, from `start` up by `factor` while within `maximum`."""
    if start <= 0 or factor <= 1:
        raise ValueError("rates must start above 0 and grow by a factor above 1")
    rates: list[float] = []
    rate = start
    while rate <= maximum + 1e-9:
        rates.append(round(rate, 2))
        rate *= factor
    return rates


def growth_per_second(samples: Sequence[tuple[float, float]], seconds: float) -> float:
    """How fast the outstanding count (due, not yet received) grows over the second half of a
    step: a pipeline that keeps up holds it level at rate × latency; one that does not, grows."""
    second_half = [(t, n) for t, n in samples if t >= seconds / 2]
    return slope(second_half)


def verdict(
    rate: float,
    http_p99_ms: float,
    e2e_p99_ms: float,
    growth: float,
    failed: int,
    unreceived: int,
    limits: Limits,
) -> list[str]:
    """Why a step was not sustained; empty when it was."""
    reasons: list[str] = []
    if failed:
        reasons.append(f"{failed} requests failed")
    if unreceived:
        reasons.append(f"{unreceived} dossiers not received within the drain time")
    if not http_p99_ms <= limits.http_p99_ms:  # also catches NaN: no answer at all
        reasons.append(f"HTTP p99 {http_p99_ms:.0f} ms > {limits.http_p99_ms:.0f} ms")
    if not e2e_p99_ms <= limits.e2e_p99_ms:
        reasons.append(f"end-to-end p99 {e2e_p99_ms:.0f} ms > {limits.e2e_p99_ms:.0f} ms")
    allowed = max(limits.growth * rate, MIN_GROWTH)
    if growth > allowed:
        reasons.append(f"outstanding grew {growth:.1f}/s > {allowed:.1f}/s")
    return reasons
