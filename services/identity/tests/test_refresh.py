"""Given a login session, refresh tokens rotate; a reused one ends the session (theft)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dvc_identity.application import IdentityApplication
from dvc_kernel.clock import FixedClock
from dvc_kernel.errors import STATUS_OF
from dvc_kernel.refusal import Refusal

from .conftest import ANONYMOUS, RecordingSms, log_in, register


@pytest.fixture
def logged_in(app: IdentityApplication, sms: RecordingSms) -> str:
    register(app, sms)
    return log_in(app, sms).refresh_token


def test_each_refresh_gives_a_new_pair_and_spends_the_old_token(
    app: IdentityApplication, logged_in: str, clock: FixedClock
) -> None:
    clock.set(clock.now() + timedelta(minutes=14))
    second = app.refresh(logged_in, ANONYMOUS)
    assert second.refresh_token != logged_in
    assert second.access.expires_at == clock.now() + timedelta(minutes=15)

    third = app.refresh(second.refresh_token, ANONYMOUS)
    assert third.refresh_token not in (logged_in, second.refresh_token)


def test_a_spent_token_presented_again_ends_the_whole_session(
    app: IdentityApplication, logged_in: str
) -> None:
    second = app.refresh(logged_in, ANONYMOUS)

    with pytest.raises(Refusal) as refused:
        app.refresh(logged_in, ANONYMOUS)  # the thief, or the victim, replays the old one
    assert (STATUS_OF[refused.value.kind], refused.value.code) == (401, "refresh.reused")

    with pytest.raises(Refusal) as refused:
        app.refresh(second.refresh_token, ANONYMOUS)  # the legitimate successor is dead too
    assert refused.value.code == "refresh.revoked"


def test_logout_ends_the_session(app: IdentityApplication, logged_in: str) -> None:
    assert app.logout(logged_in, ANONYMOUS) is True
    assert app.logout(logged_in, ANONYMOUS) is False
    with pytest.raises(Refusal) as refused:
        app.refresh(logged_in, ANONYMOUS)
    assert refused.value.code == "refresh.revoked"


def test_a_refresh_token_lives_twelve_hours(
    app: IdentityApplication, logged_in: str, clock: FixedClock
) -> None:
    clock.set(clock.now() + timedelta(hours=12))
    with pytest.raises(Refusal) as refused:
        app.refresh(logged_in, ANONYMOUS)
    assert refused.value.code == "refresh.expired"


def test_an_unknown_token_is_refused(app: IdentityApplication) -> None:
    with pytest.raises(Refusal) as refused:
        app.refresh("x" * 43, ANONYMOUS)
    assert (STATUS_OF[refused.value.kind], refused.value.code) == (401, "refresh.unknown")
