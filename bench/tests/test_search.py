"""Which rates the searches offer: the cost curve's, then up to the knee and between; and the
lodging workload's bracket around a starting rate."""

from __future__ import annotations

import pytest

from bench.knee import bracket_search, drive, knee_search


async def offered(search: object, capacity: float) -> tuple[list[float], tuple[float, float]]:
    """The rates a search offers to a system that sustains anything up to `capacity`."""
    rates: list[float] = []

    async def step(rate: float) -> bool:
        rates.append(rate)
        return rate <= capacity

    found = await drive(search, step)  # type: ignore[arg-type]
    return rates, found


async def test_the_cost_curves_rates_come_first_then_up_by_the_factor_to_the_knee() -> None:
    rates, found = await offered(knee_search((10, 100), 1.5, 1000, refine=1), capacity=400)
    assert rates == [10, 100, 150, 225, 337.5, 506.25, pytest.approx(413.35)]
    assert found[0] == 337.5 and found[1] == pytest.approx(413.35)


async def test_a_system_below_the_second_curve_rate_is_refined_between_the_two() -> None:
    rates, found = await offered(knee_search((10, 100), 1.5, 1000, refine=2), capacity=33)
    assert rates == [10, 100, 31.62, 56.23]
    assert found == (31.62, 56.23)


async def test_a_system_too_busy_for_the_first_rate_gets_half_and_a_quarter() -> None:
    rates, found = await offered(knee_search((10, 100), 1.5, 1000, refine=0), capacity=3)
    assert rates == [10, 5, 2.5] and found == (2.5, 5)


async def test_the_search_stops_at_the_maximum_without_a_knee() -> None:
    rates, found = await offered(knee_search((10, 100), 1.5, 200, refine=1), capacity=10_000)
    assert rates == [10, 100, 150] and found == (150, 0.0)
    with pytest.raises(ValueError):
        next(knee_search((10,), 1.0, 100, 0))


async def test_a_bracket_goes_up_while_sustained_and_down_while_not() -> None:
    assert await offered(bracket_search(300, 1.2, 3), capacity=400) == ([300, 360, 432], (360, 432))
    assert await offered(bracket_search(300, 1.2, 3), capacity=260) == ([300, 250], (250, 300))
    assert await offered(bracket_search(300, 1.2, 3), capacity=150) == (
        [300, 250, 208.33],
        (0.0, 208.33),
    )
    assert await offered(bracket_search(300, 1.2, 1), capacity=1000) == ([300], (300, 0.0))
