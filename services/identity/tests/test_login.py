"""Given a registered citizen, when they log in (password, then OTP), then ..."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from dvc_identity.application import IdentityApplication
from dvc_identity.application.sessions import AccountType
from dvc_identity.projections.registry_replica import RegistryReplica, demo_residents
from dvc_kernel.auth import Principal, StaticJwks, TokenVerifier
from dvc_kernel.auth.principal import Role
from dvc_kernel.auth.registry_stamp import stamp_matches
from dvc_kernel.clock import FixedClock
from dvc_kernel.errors import STATUS_OF
from dvc_kernel.refusal import Refusal

from .conftest import ANONYMOUS, HOA, ISSUER, PASSWORD, RecordingSms, log_in, public, register


def verify(app: IdentityApplication, token: str, clock: FixedClock) -> Principal:
    keys = StaticJwks(app.tools.keys.ring().jwks())
    return TokenVerifier(keys, issuer=ISSUER.issuer, audience=ISSUER.audience, clock=clock.now).verify(token)


def test_password_then_otp_gives_an_access_token_for_the_account_id(
    app: IdentityApplication, sms: RecordingSms, clock: FixedClock
) -> None:
    account = register(app, sms)

    sent = app.start_login(HOA["id_number"], PASSWORD, AccountType.CITIZEN, ANONYMOUS)
    assert sms.sent[-1].purpose == "login" and sent.phone == HOA["phone"]
    tokens = app.complete_login(sent.challenge_id, sms.last_code(HOA["phone"]), ANONYMOUS)

    principal = verify(app, tokens.access.token, clock)
    assert principal.subject == str(account.id)
    assert principal.role is Role.CITIZEN
    assert HOA["id_number"] not in tokens.access.token
    assert tokens.access.expires_at == clock.now() + timedelta(minutes=15)


def test_a_login_code_works_once(app: IdentityApplication, sms: RecordingSms) -> None:
    register(app, sms)
    sent = app.start_login(HOA["id_number"], PASSWORD, AccountType.CITIZEN, ANONYMOUS)
    code = sms.last_code(HOA["phone"])
    app.complete_login(sent.challenge_id, code, ANONYMOUS)
    with pytest.raises(Refusal) as refused:
        app.complete_login(sent.challenge_id, code, ANONYMOUS)
    assert refused.value.code == "otp.already_used"


def test_a_wrong_password_and_an_unknown_id_number_get_the_same_answer(
    app: IdentityApplication, sms: RecordingSms
) -> None:
    register(app, sms)
    answers = []
    for id_number, password in [(HOA["id_number"], "sai mật khẩu rồi"), ("079090001234", PASSWORD)]:
        with pytest.raises(Refusal) as refused:
            app.start_login(id_number, password, AccountType.CITIZEN, ANONYMOUS)
        answers.append((STATUS_OF[refused.value.kind], refused.value.code, refused.value.message))
    assert answers[0] == answers[1]
    assert answers[0][:2] == (401, "login.invalid_credentials")


def test_the_lockout_does_not_tell_a_registered_id_number_from_an_unknown_one(
    app: IdentityApplication, sms: RecordingSms, clock: FixedClock
) -> None:
    """ADR 0005: the same answers, attempt after attempt, lockout and back-off included."""
    register(app, sms)

    def answers(id_number: str) -> list[tuple[int, str, str]]:
        seen = []
        for minutes in (0, 0, 0, 0, 0, 0, 0, 1, 0, 2):
            clock.set(clock.now() + timedelta(minutes=minutes))
            with pytest.raises(Refusal) as refused:
                app.start_login(id_number, "sai mật khẩu rồi", AccountType.CITIZEN, ANONYMOUS)
            seen.append((STATUS_OF[refused.value.kind], refused.value.code, refused.value.message))
        return seen

    start = clock.now()
    first = answers(HOA["id_number"])  # registered
    clock.set(start)
    second = answers("079090001234")  # a resident with no account
    assert first == second
    assert [code for _, code, _ in first].count("login.locked") >= 3


def test_repeated_wrong_passwords_lock_the_account_with_back_off(
    app: IdentityApplication, sms: RecordingSms, clock: FixedClock
) -> None:
    register(app, sms)
    for _ in range(5):
        with pytest.raises(Refusal) as refused:
            app.start_login(HOA["id_number"], "sai mật khẩu rồi", AccountType.CITIZEN, ANONYMOUS)
        assert refused.value.code == "login.invalid_credentials"

    with pytest.raises(Refusal) as refused:  # the sixth failure locks for a minute
        app.start_login(HOA["id_number"], "sai mật khẩu rồi", AccountType.CITIZEN, ANONYMOUS)
    assert (STATUS_OF[refused.value.kind], refused.value.code) == (429, "login.locked")

    with pytest.raises(Refusal) as refused:  # even the right password waits
        app.start_login(HOA["id_number"], PASSWORD, AccountType.CITIZEN, ANONYMOUS)
    assert refused.value.code == "login.locked" and "1 phút" in refused.value.message

    clock.set(clock.now() + timedelta(minutes=1))
    with pytest.raises(Refusal):  # the seventh failure locks for two
        app.start_login(HOA["id_number"], "sai mật khẩu rồi", AccountType.CITIZEN, ANONYMOUS)
    clock.set(clock.now() + timedelta(minutes=1))
    with pytest.raises(Refusal) as refused:
        app.start_login(HOA["id_number"], PASSWORD, AccountType.CITIZEN, ANONYMOUS)
    assert refused.value.code == "login.locked"

    clock.set(clock.now() + timedelta(minutes=1))
    log_in(app, sms)  # the lock has passed; success clears the count

    locks = [p for p in public(app) if p.event_type == "AccountLocked"]
    assert [(p.failed_attempts, p.role) for p in locks] == [(6, "citizen"), (7, "citizen")]
    account = app.account(locks[0].account_id)
    assert account is not None and account.failures.count == 0


def test_logging_in_right_after_registering_needs_no_wait(
    app: IdentityApplication, sms: RecordingSms
) -> None:
    register(app, sms)
    log_in(app, sms)  # the registration code was used: the minute between codes does not apply
    assert [s.purpose for s in sms.sent] == ["register", "login"]


def test_a_citizens_token_carries_the_registry_stamp_of_their_own_data(
    app: IdentityApplication, sms: RecordingSms, clock: FixedClock
) -> None:
    """The services recognise the holder's own data without asking the registry again."""
    app.tools.service_secret = "a secret the services share"
    register(app, sms)
    sent = app.start_login(HOA["id_number"], PASSWORD, AccountType.CITIZEN, ANONYMOUS)
    tokens = app.complete_login(sent.challenge_id, sms.last_code(HOA["phone"]), ANONYMOUS)

    principal = verify(app, tokens.access.token, clock)
    born = date.fromisoformat(HOA["date_of_birth"])
    assert principal.registry_stamp is not None
    assert stamp_matches(
        "a secret the services share", principal.registry_stamp, HOA["id_number"], HOA["full_name"], born
    )
    assert not stamp_matches(
        "a secret the services share", principal.registry_stamp, HOA["id_number"], "Nguyễn Thị Hòa", born
    )
    assert HOA["full_name"] not in tokens.access.token


def test_no_stamp_once_the_registry_no_longer_matches_the_holder(
    app: IdentityApplication, sms: RecordingSms, clock: FixedClock
) -> None:
    app.tools.service_secret = "a secret the services share"
    register(app, sms)
    app.tools.registry = RegistryReplica.of([r for r in demo_residents() if r.id_number != HOA["id_number"]])
    sent = app.start_login(HOA["id_number"], PASSWORD, AccountType.CITIZEN, ANONYMOUS)
    tokens = app.complete_login(sent.challenge_id, sms.last_code(HOA["phone"]), ANONYMOUS)

    assert verify(app, tokens.access.token, clock).registry_stamp is None
