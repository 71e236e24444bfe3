"""Fixtures for identity's application and API tests: a settable clock, an SMS double that
keeps the codes it was given, cheap password hashing, the demo residents as the registry."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from eventsourcing.cipher import AESCipher

from dvc_identity.adapters.keystore import KeyStore
from dvc_identity.application import Collaborators, IdentityApplication
from dvc_identity.application.registration import RegistrationRequest
from dvc_identity.application.sessions import AccountType, Tokens
from dvc_identity.domain.accounts import CitizenAccount
from dvc_identity.domain.divisions import unit_exists
from dvc_identity.domain.passwords import PasswordHashing
from dvc_identity.domain.tokens import TokenIssuer
from dvc_identity.projections.registry_replica import RegistryReplica, demo_residents
from dvc_identity.translation import translate
from dvc_kernel.clock import FixedClock
from dvc_kernel.envelopes import Outgoing
from dvc_kernel.meta import CommandMeta

START = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # Monday 09:00 in Vietnam
ISSUER = TokenIssuer(issuer="https://dichvucong.bocongan.example/identity", audience="dvc")
HOA = {
    "id_number": "001203004321",
    "full_name": "Nguyễn Thị Hoa",
    "date_of_birth": "2003-05-14",
    "phone": "0912345678",
}
MAI = {
    "id_number": "048185000777",
    "full_name": "Lê Thị Mai",
    "date_of_birth": "1985-11-02",
    "phone": "0935111222",
}
PASSWORD = "hoa sen trong đầm"


@dataclass
class SentOtp:
    message_id: str
    phone: str
    code: str
    purpose: str


@dataclass
class RecordingSms:
    """Unit-test stand-in for notify: remembers what it was asked to send."""

    sent: list[SentOtp] = field(default_factory=list)
    failing: bool = False

    def send_otp(self, *, message_id: str, phone: str, code: str, purpose: str, valid_minutes: int) -> None:
        from dvc_kernel.refusal import Kind, Refusal

        if self.failing:
            raise Refusal(
                "otp.sms_unavailable", "Hệ thống tạm thời không gửi được tin nhắn.", Kind.UNAVAILABLE
            )
        self.sent.append(SentOtp(message_id, phone, code, purpose))

    def last_code(self, phone: str) -> str:
        return next(s.code for s in reversed(self.sent) if s.phone == phone)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def sms() -> RecordingSms:
    return RecordingSms()


@pytest.fixture
def tools(clock: FixedClock, sms: RecordingSms) -> Collaborators:
    return Collaborators(
        registry=RegistryReplica.of(demo_residents()),
        otp_key=b"k" * 32,
        sms=sms,
        keys=KeyStore(None, b"test", clock),
        issuer=ISSUER,
        clock=clock,
        hashing=PasswordHashing(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)),
        unit_exists=unit_exists,
    )


def store_env(path: Path) -> dict[str, str]:
    """SQLite, encrypted as in production."""
    return {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(path / "events.sqlite3"),
        "CIPHER_TOPIC": "eventsourcing.cipher:AESCipher",
        "CIPHER_KEY": AESCipher.create_key(32),
    }


@pytest.fixture
def app(tools: Collaborators, tmp_path: Path) -> Iterator[IdentityApplication]:
    application = IdentityApplication(env=store_env(tmp_path), tools=tools)
    yield application
    application.close()


ANONYMOUS = CommandMeta("anonymous", "citizen")
OPERATOR_META = CommandMeta("operator-1", "operator", "C06")


def request_for(person: dict[str, str], password: str = PASSWORD) -> RegistrationRequest:
    return RegistrationRequest(
        id_number=person["id_number"],
        full_name=person["full_name"],
        date_of_birth=date.fromisoformat(person["date_of_birth"]),
        phone=person["phone"],
        password=password,
    )


def register(app: IdentityApplication, sms: RecordingSms, person: dict[str, str] = HOA) -> CitizenAccount:
    started = app.start_registration(request_for(person), ANONYMOUS)
    return app.verify_registration(started.registration_id, sms.last_code(person["phone"]), ANONYMOUS)


def log_in(
    app: IdentityApplication,
    sms: RecordingSms,
    id_number: str = HOA["id_number"],
    password: str = PASSWORD,
    account_type: AccountType = AccountType.CITIZEN,
) -> Tokens:
    sent = app.start_login(id_number, password, account_type, ANONYMOUS)
    return app.complete_login(sent.challenge_id, sms.last_code(sent.phone), ANONYMOUS)


def translated(app: IdentityApplication) -> list[tuple[Any, Outgoing | None]]:
    """Every stored event with what the relay would publish for it."""
    events = [app.mapper.to_domain_event(n) for n in app.recorder.select_notifications(1, 10_000)]
    return [(event, translate(event)) for event in events]


def public(app: IdentityApplication) -> list[Any]:
    return [out.payload for _, out in translated(app) if out is not None]
