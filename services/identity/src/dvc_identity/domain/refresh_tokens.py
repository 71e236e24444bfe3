"""Refresh tokens: opaque, stored only as a hash, rotated on every use, revocable.

A refresh token is 256 random bits, so a plain SHA-256 is enough to store it (no guessing is
possible, unlike a password or an OTP); the hash keeps a leaked store from being replayed.
Each use spends the token and issues a successor in the same *family* (one login session).
Presenting a spent token again means two parties hold it — the token was stolen — so the
whole family is revoked (the application revokes every token with that ``family_id``).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from dvc_identity.domain.refusal import Refusal


@dataclass(frozen=True)
class RefreshPolicy:
    ttl: timedelta = timedelta(hours=12)  # each token
    session_max: timedelta = timedelta(days=7)  # a family, however often it is refreshed


DEFAULT_REFRESH_POLICY = RefreshPolicy()


@dataclass(frozen=True)
class RefreshToken:
    token_hash: str
    family_id: str
    subject: str
    issued_at: datetime
    expires_at: datetime
    session_expires_at: datetime
    spent_at: datetime | None = None
    revoked_at: datetime | None = None


class RedeemOutcome(StrEnum):
    ROTATED = "rotated"
    EXPIRED = "expired"
    REVOKED = "revoked"
    REUSED = "reused"  # revoke the whole family


REDEEM_REFUSALS = {
    RedeemOutcome.EXPIRED: Refusal("refresh.expired", "Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại."),
    RedeemOutcome.REVOKED: Refusal("refresh.revoked", "Phiên đăng nhập đã kết thúc. Vui lòng đăng nhập lại."),
    RedeemOutcome.REUSED: Refusal(
        "refresh.reused",
        "Phiên đăng nhập đã bị hủy vì lý do an toàn. Vui lòng đăng nhập lại.",
    ),
}


@dataclass(frozen=True)
class Redemption:
    outcome: RedeemOutcome
    presented: RefreshToken  # as it must be stored now
    successor: RefreshToken | None = None
    token: str | None = None  # the successor in clear, for the client only

    @property
    def revoke_family(self) -> bool:
        return self.outcome is RedeemOutcome.REUSED


def hash_refresh_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _mint(
    subject: str, family_id: str, session_expires_at: datetime, now: datetime, ttl: timedelta
) -> tuple[str, RefreshToken]:
    token = secrets.token_urlsafe(32)
    record = RefreshToken(
        token_hash=hash_refresh_token(token),
        family_id=family_id,
        subject=subject,
        issued_at=now,
        expires_at=min(now + ttl, session_expires_at),
        session_expires_at=session_expires_at,
    )
    return token, record


def start_session(
    subject: str, *, now: datetime, policy: RefreshPolicy = DEFAULT_REFRESH_POLICY
) -> tuple[str, RefreshToken]:
    """The first refresh token of a new login session (a new family)."""
    family = secrets.token_urlsafe(16)
    return _mint(subject, family, now + policy.session_max, now, policy.ttl)


def redeem(
    record: RefreshToken, *, now: datetime, policy: RefreshPolicy = DEFAULT_REFRESH_POLICY
) -> Redemption:
    """Spend a presented token (found by its hash) and mint its successor."""
    if record.revoked_at is not None:
        return Redemption(RedeemOutcome.REVOKED, record)
    if record.spent_at is not None:
        return Redemption(RedeemOutcome.REUSED, revoke(record, now=now))
    if now >= record.expires_at:
        return Redemption(RedeemOutcome.EXPIRED, record)
    token, successor = _mint(record.subject, record.family_id, record.session_expires_at, now, policy.ttl)
    return Redemption(RedeemOutcome.ROTATED, replace(record, spent_at=now), successor, token)


def revoke(record: RefreshToken, *, now: datetime) -> RefreshToken:
    """Logout, password change, or a detected reuse."""
    return record if record.revoked_at is not None else replace(record, revoked_at=now)
