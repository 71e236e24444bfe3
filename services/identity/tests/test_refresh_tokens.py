"""Refresh tokens rotate on use; replaying a spent one revokes the whole session."""

from datetime import UTC, datetime, timedelta

from dvc_identity.domain.refresh_tokens import (
    RedeemOutcome,
    hash_refresh_token,
    redeem,
    revoke,
    start_session,
)

T0 = datetime(2025, 3, 3, 2, 0, tzinfo=UTC)


def test_only_the_hash_of_the_token_is_stored() -> None:
    token, record = start_session("acc-1", now=T0)
    assert record.token_hash == hash_refresh_token(token)
    assert token not in repr(record)


def test_using_a_token_spends_it_and_issues_a_successor_in_the_same_session() -> None:
    token, record = start_session("acc-1", now=T0)
    redemption = redeem(record, now=T0 + timedelta(hours=1))
    assert redemption.outcome is RedeemOutcome.ROTATED
    assert redemption.presented.spent_at == T0 + timedelta(hours=1)
    assert redemption.successor is not None and redemption.token is not None
    assert redemption.successor.family_id == record.family_id
    assert redemption.successor.token_hash == hash_refresh_token(redemption.token)
    assert redemption.token != token


def test_replaying_a_spent_token_revokes_the_session() -> None:
    _, record = start_session("acc-1", now=T0)
    spent = redeem(record, now=T0).presented
    replay = redeem(spent, now=T0 + timedelta(minutes=1))
    assert replay.outcome is RedeemOutcome.REUSED
    assert replay.revoke_family
    assert replay.presented.revoked_at is not None


def test_expired_and_revoked_tokens_are_refused() -> None:
    _, record = start_session("acc-1", now=T0)
    assert redeem(record, now=T0 + timedelta(hours=12)).outcome is RedeemOutcome.EXPIRED
    revoked = revoke(record, now=T0)
    assert redeem(revoked, now=T0).outcome is RedeemOutcome.REVOKED


def test_a_session_ends_after_seven_days_however_often_it_is_refreshed() -> None:
    _, record = start_session("acc-1", now=T0)
    now = T0
    while True:
        now += timedelta(hours=11)
        redemption = redeem(record, now=now)
        if redemption.successor is None:
            break
        record = redemption.successor
    assert redemption.outcome is RedeemOutcome.EXPIRED
    assert now - T0 <= timedelta(days=7, hours=11)
    assert record.expires_at == T0 + timedelta(days=7)
