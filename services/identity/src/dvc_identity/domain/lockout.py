"""Temporary lockout after repeated failed logins, with exponential back-off.

The first ``free_failures`` wrong passwords cost nothing; each further one locks the account
for ``base_delay * 2**k`` (1, 2, 4, 8 ... minutes), capped at ``max_delay``. The cap is low
on purpose: ID numbers are printed on cards and are not secret, so anyone can trigger a
lockout of someone else's account; a long lock would hand them a denial of service. The OTP
second factor, not the lock, is what stops a password guesser. A success, or a quiet
``reset_after``, clears the count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from dvc_identity.domain.refusal import Refusal


@dataclass(frozen=True)
class LockoutPolicy:
    free_failures: int = 5
    base_delay: timedelta = timedelta(minutes=1)
    max_delay: timedelta = timedelta(minutes=60)
    reset_after: timedelta = timedelta(hours=24)


DEFAULT_LOCKOUT_POLICY = LockoutPolicy()


@dataclass(frozen=True)
class LoginFailures:
    """Per-account state kept by the application (one per ID number)."""

    count: int = 0
    last_failure_at: datetime | None = None
    locked_until: datetime | None = None


def lock_delay(failures: int, policy: LockoutPolicy = DEFAULT_LOCKOUT_POLICY) -> timedelta:
    """How long the account is locked after its ``failures``-th consecutive failure."""
    over = failures - policy.free_failures
    if over <= 0:
        return timedelta(0)
    return min(policy.base_delay * (1 << min(over - 1, 32)), policy.max_delay)


def login_refusal(
    state: LoginFailures, *, now: datetime, policy: LockoutPolicy = DEFAULT_LOCKOUT_POLICY
) -> Refusal | None:
    """A refusal while the account is locked, else None (the password may be checked)."""
    if state.locked_until is None or now >= state.locked_until:
        return None
    minutes = max(1, -(-int((state.locked_until - now).total_seconds()) // 60))
    return Refusal(
        "login.locked",
        "Tài khoản tạm thời bị khóa do nhập sai thông tin đăng nhập nhiều lần. "
        f"Vui lòng thử lại sau {minutes} phút.",
    )


def record_failure(
    state: LoginFailures, *, now: datetime, policy: LockoutPolicy = DEFAULT_LOCKOUT_POLICY
) -> LoginFailures:
    quiet = state.last_failure_at is not None and now - state.last_failure_at >= policy.reset_after
    count = 1 if quiet else state.count + 1
    delay = lock_delay(count, policy)
    return LoginFailures(count, now, now + delay if delay else None)


def record_success(state: LoginFailures) -> LoginFailures:
    return LoginFailures()
