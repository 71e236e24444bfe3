"""When a step of fixed arrival rate is sustained, and where the knee is."""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable, Generator, Sequence
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


# The rates a search offers, one at a time: it is sent whether each was sustained, and returns
# (highest sustained rate, lowest rate found not sustained above it), 0.0 for either not found.
Search = Generator[float, bool, tuple[float, float]]


def knee_search(curve: Sequence[float], factor: float, maximum: float, refine: int) -> Search:
    """The rates of the cost curve in turn (10/s and 100/s: the cost is reported at each), then
    up by `factor` while sustained, up to `maximum`; `refine` steps at the geometric middle of
    the highest sustained rate and the knee. When even the first rate is not sustained, half
    and a quarter of it."""
    if not curve or curve[0] <= 0 or factor <= 1:
        raise ValueError("rates must start above 0 and grow by a factor above 1")
    sustained = knee = 0.0
    for rate in curve:
        if not (yield rate):
            knee = rate
            break
        sustained = rate
    else:
        rate = round(sustained * factor, 2)
        while rate <= maximum + 1e-9:
            if not (yield rate):
                knee = rate
                break
            sustained, rate = rate, round(rate * factor, 2)
    for rate in (curve[0] / 2, curve[0] / 4):  # a machine too busy for the first rate
        if sustained:
            break
        if (yield rate):
            sustained = rate
        else:
            knee = rate
    for _ in range(refine):  # halve the gap (geometrically) between the last pass and the knee
        if not (sustained and knee):
            break
        middle = round(math.sqrt(sustained * knee), 2)
        if (yield middle):
            sustained = middle
        else:
            knee = middle
    return sustained, knee


def bracket_search(start: float, factor: float, steps: int) -> Search:
    """At most `steps` rates from `start`: up by `factor` while sustained, down by it while not,
    until one of each is found."""
    sustained = knee = 0.0
    rate = start
    for _ in range(steps):
        if (yield rate):
            sustained = max(sustained, rate)
        else:
            knee = min(knee, rate) if knee else rate
        if sustained and knee:
            break
        rate = round(rate * factor if not knee else rate / factor, 2)
    return sustained, knee


async def drive(search: Search, sustained: Callable[[float], Awaitable[bool]]) -> tuple[float, float]:
    """Runs a search, each rate offered as a step that says whether it was sustained."""
    try:
        rate = next(search)
        while True:
            rate = search.send(await sustained(rate))
    except StopIteration as done:
        found: tuple[float, float] = done.value
        return found


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
    # Strictly below, as issue 12 puts its targets; `not <` also catches NaN: no answer at all.
    if not http_p99_ms < limits.http_p99_ms:
        reasons.append(f"HTTP p99 {http_p99_ms:.0f} ms ≥ {limits.http_p99_ms:.0f} ms")
    if not e2e_p99_ms < limits.e2e_p99_ms:
        reasons.append(f"end-to-end p99 {e2e_p99_ms:.0f} ms ≥ {limits.e2e_p99_ms:.0f} ms")
    allowed = max(limits.growth * rate, MIN_GROWTH)
    if growth > allowed:
        reasons.append(f"outstanding grew {growth:.1f}/s > {allowed:.1f}/s")
    return reasons
