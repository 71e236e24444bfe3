"""A 6-digit OTP: only its hash is kept, it lives 5 minutes, 5 wrong tries kill it, sends are throttled."""

from datetime import UTC, datetime, timedelta

from dvc_identity.domain.otp import (
    OTP_REFUSALS,
    OtpChallenge,
    OtpOutcome,
    issue_challenge,
    may_send,
    record_send,
    verify_code,
)

KEY = b"server-side otp key, never in the event store"
T0 = datetime(2025, 3, 3, 2, 0, tzinfo=UTC)


def challenge_at(now: datetime = T0) -> tuple[OtpChallenge, str]:
    return issue_challenge(phone="0912345678", purpose="login", now=now, key=KEY)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_the_code_has_six_digits_and_only_its_hash_is_kept() -> None:
    challenge, code = challenge_at()
    assert len(code) == 6 and code.isdigit()
    assert code not in repr(challenge)
    assert len(challenge.code_hash) == 64


def test_the_right_code_within_five_minutes_is_accepted_once() -> None:
    challenge, code = challenge_at()
    used, outcome = verify_code(challenge, code, now=T0 + timedelta(minutes=4, seconds=59), key=KEY)
    assert outcome is OtpOutcome.ACCEPTED
    _, again = verify_code(used, code, now=T0 + timedelta(minutes=5), key=KEY)
    assert again is OtpOutcome.ALREADY_USED


def test_after_five_minutes_the_code_has_expired() -> None:
    challenge, code = challenge_at()
    _, outcome = verify_code(challenge, code, now=T0 + timedelta(minutes=5), key=KEY)
    assert outcome is OtpOutcome.EXPIRED
    assert OTP_REFUSALS[outcome].message.startswith("Mã OTP đã hết hiệu lực")


def test_the_fifth_wrong_code_kills_the_challenge_even_for_the_right_code() -> None:
    challenge, code = challenge_at()
    outcomes = []
    for _ in range(5):
        challenge, outcome = verify_code(challenge, wrong(code), now=T0, key=KEY)
        outcomes.append(outcome)
    assert outcomes == [OtpOutcome.WRONG_CODE] * 4 + [OtpOutcome.EXHAUSTED]
    _, outcome = verify_code(challenge, code, now=T0, key=KEY)
    assert outcome is OtpOutcome.EXHAUSTED


def test_a_code_checked_under_another_key_or_challenge_fails() -> None:
    challenge, code = challenge_at()
    _, outcome = verify_code(challenge, code, now=T0, key=b"another key")
    assert outcome is OtpOutcome.WRONG_CODE
    other, _ = challenge_at()
    _, outcome = verify_code(other, code, now=T0, key=KEY)
    assert outcome in {OtpOutcome.WRONG_CODE, OtpOutcome.ACCEPTED}  # 1 in a million it is the same
    assert other.code_hash != challenge.code_hash


def test_a_resend_waits_at_least_sixty_seconds() -> None:
    log = record_send((), now=T0)
    decision = may_send(log, now=T0 + timedelta(seconds=59))
    assert not decision.allowed
    assert decision.retry_after == timedelta(seconds=1)
    assert decision.refusal is not None and decision.refusal.code == "otp.throttled"
    assert "1 giây" in decision.refusal.message
    assert may_send(log, now=T0 + timedelta(seconds=60)).allowed


def test_at_most_five_sends_per_phone_in_any_hour() -> None:
    log: tuple[datetime, ...] = ()
    for minute in range(0, 50, 10):  # 00, 10, 20, 30, 40
        now = T0 + timedelta(minutes=minute)
        assert may_send(log, now=now).allowed
        log = record_send(log, now=now)
    sixth = may_send(log, now=T0 + timedelta(minutes=55))
    assert not sixth.allowed
    assert sixth.retry_after == timedelta(minutes=5)  # the 00 send leaves the window at 60
    assert may_send(log, now=T0 + timedelta(minutes=60)).allowed


def test_the_send_log_forgets_sends_older_than_the_window() -> None:
    log = record_send((T0,), now=T0 + timedelta(hours=2))
    assert log == (T0 + timedelta(hours=2),)
