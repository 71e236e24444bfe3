"""A removed officer, a transferred one, a citizen who logged out: their access tokens stop
working in every service as soon as identity's event reaches it, not when they expire.

Each service is built in its production configuration; identity's events are applied to the
revocation list its token check consults (the list follows identity.account.v1 on Kafka in
a running service: services/kernel/tests/test_revocation_follow.py)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from uuid import UUID, uuid4

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from dvc_contracts import EventPayload
from dvc_contracts.identity import SessionEnded, StaffRemoved, StaffScopeChanged
from dvc_contracts.topics import IDENTITY_ACCOUNT
from dvc_kernel.auth.revocations import Revocations
from dvc_kernel.envelopes import Outgoing, build_envelope
from dvc_testing.in_process import SMS_PROVIDER, built_services, environment
from dvc_testing.stack import SERVICES
from dvc_testing.tokens import TestTokens

TOKENS = TestTokens()
NOW = datetime.now(UTC) + timedelta(seconds=1)  # after the test key ring became active


@pytest.fixture(scope="module")
def apps() -> Iterator[dict[str, FastAPI]]:
    env = {**SMS_PROVIDER, "DVC_DATA_DIR": tempfile.mkdtemp(prefix="dvc-revocation-")}
    with environment(env, unset=("DVC_DEVELOPMENT",)), built_services(TOKENS) as built:
        yield built


def identity_event(payload: EventPayload, key: UUID) -> object:
    stored = SimpleNamespace(originator_id=key, originator_version=1, timestamp=NOW, meta={})
    return build_envelope(stored, Outgoing(IDENTITY_ACCOUNT.name, str(key), payload), "identity", None)


def removed(account: UUID, at: datetime) -> object:
    return identity_event(StaffRemoved(account_id=account, reason="Nghỉ hưu", removed_at=at), account)


def transferred(account: UUID, at: datetime) -> object:
    change = StaffScopeChanged(
        account_id=account, units=["CAX-00070"], previous_units=["CAX-00004"], changed_at=at
    )
    return identity_event(change, account)


def logged_out(account: UUID, at: datetime) -> object:
    ended = SessionEnded(session_id=uuid4(), account_id=account, reason="logout", ended_at=at)
    return identity_event(ended, uuid4())


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize(
    "event", [removed, transferred, logged_out], ids=["removed", "transferred", "logged-out"]
)
def test_a_token_issued_before_the_event_is_refused_and_a_new_one_works(
    apps: dict[str, FastAPI], service: str, event: object
) -> None:
    app = apps[service]
    account = uuid4()
    before = TOKENS.headers("auditor", ["C06"], subject=str(account), now=NOW)
    client = TestClient(app, raise_server_exceptions=False)
    assert client.get("/v1/audit/notifications", headers=before).status_code == 200

    revocations: Revocations = app.state.revocations
    revocations.apply(event(account, NOW + timedelta(seconds=30)))  # type: ignore[operator]

    refused = client.get("/v1/audit/notifications", headers=before)
    assert refused.status_code == 401 and refused.json()["code"] == "auth.revoked"
    after = TOKENS.headers("auditor", ["C06"], subject=str(account), now=NOW + timedelta(seconds=31))
    assert client.get("/v1/audit/notifications", headers=after).status_code == 200
    someone_else = TOKENS.headers("auditor", ["C06"], now=NOW)
    assert client.get("/v1/audit/notifications", headers=someone_else).status_code == 200


def test_the_check_is_one_lookup_and_old_entries_are_forgotten() -> None:
    revocations = Revocations(horizon=timedelta(minutes=20))
    revocations.revoke("a", NOW - timedelta(minutes=30))
    revocations.revoke("b", NOW - timedelta(minutes=1))
    revocations.forget_expired(NOW)
    assert set(revocations._before) == {"b"}
