"""No secret in any public event: after every kind of command, nothing the relay would publish
contains a password, an OTP, a hash, a token or a challenge id."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from dvc_contracts.identity import IDENTITY_EVENTS
from dvc_identity.application import IdentityApplication
from dvc_identity.application.sessions import AccountType
from dvc_identity.domain.sessions import LoginSession
from dvc_kernel.clock import FixedClock
from dvc_kernel.envelopes import build_envelope
from dvc_kernel.refusal import Refusal

from .conftest import ANONYMOUS, HOA, OPERATOR_META, PASSWORD, RecordingSms, log_in, register, translated
from .test_staff import OFFICER


def test_nothing_secret_is_ever_published(
    app: IdentityApplication, sms: RecordingSms, clock: FixedClock
) -> None:
    account = register(app, sms)
    for _ in range(6):
        with pytest.raises(Refusal):
            app.start_login(HOA["id_number"], "sai mật khẩu rồi", AccountType.CITIZEN, ANONYMOUS)
    clock.set(clock.now() + timedelta(minutes=2))
    tokens = log_in(app, sms)
    again = app.refresh(tokens.refresh_token, ANONYMOUS)
    app.logout(again.refresh_token, ANONYMOUS)
    officer = app.appoint_staff(OFFICER, OPERATOR_META)
    app.change_staff_units(officer.id, ["CAT-01"], OPERATOR_META)
    app.remove_staff(officer.id, "Nghỉ hưu", OPERATOR_META)
    app.register_organisation(account.id, "0100109106", "Viettel", OPERATOR_META)

    stored = translated(app)
    secrets = {PASSWORD, OFFICER.password, tokens.refresh_token, again.refresh_token, tokens.access.token}
    # Nor any personal data (ADR 0021): no consumer needs it from identity.
    secrets |= {HOA["id_number"], HOA["phone"], HOA["full_name"], OFFICER.full_name}
    secrets |= {s.code for s in sms.sent} | {s.message_id.removeprefix("otp-") for s in sms.sent}
    for event, _ in stored:
        for name in ("password_hash", "code_hash", "token_hash", "spent_hash", "challenge_id"):
            if hasattr(event, name):
                secrets.add(getattr(event, name))
    sessions = [e for e, _ in stored if isinstance(e, LoginSession.Started)]
    assert sessions and all(s.token_hash in secrets for s in sessions)

    published = [(event, out) for event, out in stored if out is not None]
    assert {out.payload.event_type for _, out in published} == {cls.event_type for cls in IDENTITY_EVENTS}
    for event, out in published:
        wire = build_envelope(event, out, "identity", None).model_dump_json()
        leaked = [s for s in secrets if s and s in wire]
        assert leaked == [], f"{out.payload.event_type} leaks {leaked}"
        assert "hash" not in json.loads(wire)["payload"]
        assert "password" not in wire.lower() and "otp" not in json.loads(wire)["payload"]
