"""One-time passwords sent by SMS: 6 digits, 5 minutes, 5 tries, throttled resends.

Only a hash of the code is kept. We use HMAC-SHA256 under a server key rather than argon2:
a 6-digit code has only a million values, so no slow hash can stop someone holding the hash
from trying them all — a key kept outside the event store does (without the key the hash
says nothing), and the check stays cheap and constant-time. The challenge id and purpose are
part of the MAC so a hash cannot be replayed on another challenge.

Every function takes ``now`` (timezone-aware UTC): no clock is read here.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from dvc_identity.domain.refusal import Refusal


@dataclass(frozen=True)
class OtpPolicy:
    digits: int = 6  # procedures.md §9: a 6-digit OTP
    ttl: timedelta = timedelta(minutes=5)
    max_attempts: int = 5  # wrong codes before the challenge is dead
    resend_interval: timedelta = timedelta(seconds=60)  # between two sends to one phone
    max_sends: int = 5  # sends to one phone ...
    send_window: timedelta = timedelta(hours=1)  # ... within this sliding window


DEFAULT_OTP_POLICY = OtpPolicy()


class OtpOutcome(StrEnum):
    ACCEPTED = "accepted"
    WRONG_CODE = "wrong_code"
    EXPIRED = "expired"
    EXHAUSTED = "exhausted"  # too many wrong codes
    ALREADY_USED = "already_used"


OTP_REFUSALS = {
    OtpOutcome.WRONG_CODE: Refusal(
        "otp.wrong_code", "Mã OTP không đúng. Vui lòng kiểm tra tin nhắn và nhập lại."
    ),
    OtpOutcome.EXPIRED: Refusal("otp.expired", "Mã OTP đã hết hiệu lực. Vui lòng yêu cầu gửi mã mới."),
    OtpOutcome.EXHAUSTED: Refusal(
        "otp.exhausted",
        "Mã OTP đã bị nhập sai quá số lần cho phép và bị hủy. Vui lòng yêu cầu gửi mã mới.",
    ),
    OtpOutcome.ALREADY_USED: Refusal(
        "otp.already_used", "Mã OTP này đã được sử dụng. Vui lòng yêu cầu gửi mã mới."
    ),
}


@dataclass(frozen=True)
class OtpChallenge:
    challenge_id: str
    phone: str
    purpose: str  # "register", "login", "reset_password", ...
    code_hash: str  # hex HMAC-SHA256
    issued_at: datetime
    expires_at: datetime
    attempts: int = 0  # wrong codes so far
    used: bool = False


def hash_code(key: bytes, challenge_id: str, purpose: str, code: str) -> str:
    message = f"{challenge_id}\x1f{purpose}\x1f{code}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def issue_challenge(
    *, phone: str, purpose: str, now: datetime, key: bytes, policy: OtpPolicy = DEFAULT_OTP_POLICY
) -> tuple[OtpChallenge, str]:
    """A new challenge and its code in clear; the code goes to the SMS and nowhere else."""
    code = f"{secrets.randbelow(10**policy.digits):0{policy.digits}d}"
    challenge_id = secrets.token_urlsafe(16)
    challenge = OtpChallenge(
        challenge_id=challenge_id,
        phone=phone,
        purpose=purpose,
        code_hash=hash_code(key, challenge_id, purpose, code),
        issued_at=now,
        expires_at=now + policy.ttl,
    )
    return challenge, code


def verify_code(
    challenge: OtpChallenge,
    code: str,
    *,
    now: datetime,
    key: bytes,
    policy: OtpPolicy = DEFAULT_OTP_POLICY,
) -> tuple[OtpChallenge, OtpOutcome]:
    """Check a code; returns the challenge as it must be stored afterwards and the outcome."""
    if challenge.used:
        return challenge, OtpOutcome.ALREADY_USED
    if challenge.attempts >= policy.max_attempts:
        return challenge, OtpOutcome.EXHAUSTED
    if now >= challenge.expires_at:
        return challenge, OtpOutcome.EXPIRED
    expected = hash_code(key, challenge.challenge_id, challenge.purpose, code.strip())
    if hmac.compare_digest(expected, challenge.code_hash):
        return replace(challenge, used=True), OtpOutcome.ACCEPTED
    spent = replace(challenge, attempts=challenge.attempts + 1)
    if spent.attempts >= policy.max_attempts:
        return spent, OtpOutcome.EXHAUSTED
    return spent, OtpOutcome.WRONG_CODE


@dataclass(frozen=True)
class SendDecision:
    allowed: bool
    retry_after: timedelta = timedelta(0)

    @property
    def refusal(self) -> Refusal | None:
        if self.allowed:
            return None
        seconds = max(1, int(self.retry_after.total_seconds() + 0.999))
        return Refusal(
            "otp.throttled",
            f"Bạn đã yêu cầu gửi mã OTP quá nhiều lần. Vui lòng thử lại sau {seconds} giây.",
        )


def may_send(
    sent_at: Sequence[datetime], *, now: datetime, policy: OtpPolicy = DEFAULT_OTP_POLICY
) -> SendDecision:
    """Throttle sends per phone: ``sent_at`` is when earlier codes went to that phone.

    At least ``resend_interval`` between two sends, and at most ``max_sends`` within any
    ``send_window``: this caps both SMS cost and a flood of messages to someone's phone.
    """
    recent = sorted(t for t in sent_at if now - t < policy.send_window)
    waits = [timedelta(0)]
    if recent:
        waits.append(recent[-1] + policy.resend_interval - now)
    if len(recent) >= policy.max_sends:
        waits.append(recent[-policy.max_sends] + policy.send_window - now)
    wait = max(waits)
    return SendDecision(allowed=wait <= timedelta(0), retry_after=max(wait, timedelta(0)))


def record_send(
    sent_at: Sequence[datetime], *, now: datetime, policy: OtpPolicy = DEFAULT_OTP_POLICY
) -> tuple[datetime, ...]:
    """The send log after a send at ``now``, forgetting what left the window."""
    return (*(t for t in sent_at if now - t < policy.send_window), now)
