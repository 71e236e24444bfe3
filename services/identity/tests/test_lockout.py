"""Repeated failed logins lock the account for doubling periods, capped at an hour."""

from datetime import UTC, datetime, timedelta

from dvc_identity.domain.lockout import (
    LoginFailures,
    lock_delay,
    login_refusal,
    record_failure,
    record_success,
)

T0 = datetime(2025, 3, 3, 2, 0, tzinfo=UTC)


def fail(times: int, now: datetime = T0) -> LoginFailures:
    state = LoginFailures()
    for _ in range(times):
        state = record_failure(state, now=now)
    return state


def test_the_first_five_failures_do_not_lock() -> None:
    state = fail(5)
    assert state.count == 5
    assert login_refusal(state, now=T0) is None


def test_each_further_failure_doubles_the_lock() -> None:
    assert [lock_delay(n) for n in range(5, 10)] == [
        timedelta(0),
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(minutes=4),
        timedelta(minutes=8),
    ]


def test_the_lock_is_capped_at_one_hour() -> None:
    assert lock_delay(12) == timedelta(minutes=60)
    assert lock_delay(500) == timedelta(minutes=60)


def test_a_locked_account_is_refused_until_the_lock_ends() -> None:
    state = fail(7)  # locked for 2 minutes
    refusal = login_refusal(state, now=T0 + timedelta(seconds=30))
    assert refusal is not None
    assert refusal.code == "login.locked"
    assert "2 phút" in refusal.message
    assert login_refusal(state, now=T0 + timedelta(minutes=2)) is None


def test_a_successful_login_clears_the_count() -> None:
    assert record_success(fail(7)) == LoginFailures()


def test_a_quiet_day_clears_the_count() -> None:
    state = fail(7)
    later = record_failure(state, now=T0 + timedelta(hours=24))
    assert later.count == 1
    assert later.locked_until is None
