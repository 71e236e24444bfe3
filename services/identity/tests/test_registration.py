"""Given the registry replica, when a citizen registers, then ... (application level)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dvc_identity.application import IdentityApplication
from dvc_identity.domain.accounts import CitizenAccount
from dvc_identity.domain.registry import REGISTRY_MISMATCH
from dvc_kernel.clock import FixedClock
from dvc_kernel.errors import STATUS_OF
from dvc_kernel.refusal import Kind, Refusal

from .conftest import ANONYMOUS, HOA, MAI, PASSWORD, RecordingSms, public, register, request_for


def test_registration_sends_an_otp_and_verification_creates_an_active_account(
    app: IdentityApplication, sms: RecordingSms
) -> None:
    started = app.start_registration(request_for(HOA), ANONYMOUS)

    (sent,) = sms.sent
    assert (sent.phone, sent.purpose) == ("0912345678", "register")
    assert sent.code.isdigit() and len(sent.code) == 6
    assert started.otp.expires_at == app.clock.now() + timedelta(minutes=5)
    assert public(app) == []  # nothing is public before the phone is proven

    account = app.verify_registration(started.registration_id, sent.code, ANONYMOUS)

    assert isinstance(account, CitizenAccount)
    assert account.id_number == HOA["id_number"] and account.phone_verified_at == app.clock.now()
    assert [p.event_type for p in public(app)] == ["AccountRegistered", "PhoneVerified"]
    registered = public(app)[0]
    assert registered.account_id == account.id
    # No personal data leaves identity (ADR 0021): nobody downstream needs it.
    assert set(registered.model_dump()) == {"account_id", "registered_at"}


@pytest.mark.parametrize(
    "change",
    [
        {"full_name": "Nguyễn Thị Hoà Bình"},
        {"full_name": "Nguyen Thi Hoa"},  # diacritics are part of the name
        {"date_of_birth": "2003-05-15"},
        {"phone": "0912345679"},
        {"id_number": "001203004322"},  # a valid layout nobody has
    ],
)
def test_declared_data_that_does_not_match_the_registry_is_refused_with_the_portal_message(
    app: IdentityApplication, sms: RecordingSms, change: dict[str, str]
) -> None:
    with pytest.raises(Refusal) as refused:
        app.start_registration(request_for({**HOA, **change}), ANONYMOUS)

    assert refused.value.code == "registry.mismatch"
    assert refused.value.message == REGISTRY_MISMATCH.message
    assert "Công an cấp xã" in refused.value.message
    assert sms.sent == []


def test_dates_of_birth_cannot_be_tried_until_the_answer_changes(
    app: IdentityApplication, sms: RecordingSms, clock: FixedClock
) -> None:
    """5 mismatches for an ID number within an hour lock it for an hour: then the right data get
    the same answer as wrong ones, and no code is sent."""
    codes = []
    for day in range(1, 6):
        with pytest.raises(Refusal) as refused:
            app.start_registration(request_for({**HOA, "date_of_birth": f"2003-05-{day:02d}"}), ANONYMOUS)
        codes.append((STATUS_OF[refused.value.kind], refused.value.code))
    assert codes[:4] == [(400, "registry.mismatch")] * 4
    assert codes[4][1] == "registration.too_many_attempts"
    for declared in ({**HOA, "date_of_birth": "2003-05-09"}, HOA):  # wrong, then right
        with pytest.raises(Refusal) as refused:
            app.start_registration(request_for(declared), ANONYMOUS)
        assert (STATUS_OF[refused.value.kind], refused.value.code) == (429, "registration.too_many_attempts")
    assert sms.sent == []
    clock.set(clock.now() + timedelta(hours=1, seconds=1))
    app.start_registration(request_for(HOA), ANONYMOUS)  # an hour later the right data go through
    assert len(sms.sent) == 1


def test_case_and_spacing_of_the_name_do_not_matter(app: IdentityApplication, sms: RecordingSms) -> None:
    app.start_registration(request_for({**HOA, "full_name": "  nguyễn  THỊ hoa "}), ANONYMOUS)
    assert len(sms.sent) == 1


@pytest.mark.parametrize(
    ("id_number", "born", "code"),
    [
        ("123456789", "2003-05-14", "id_number.legacy_cmnd"),
        ("00120300432", "2003-05-14", "id_number.wrong_length"),
        ("003203004321", "2003-05-14", "id_number.unknown_province"),
        ("001203004321", "2004-05-14", "id_number.birth_year_mismatch"),  # digits 5-6 say 2003
        ("001203004321", "1903-05-14", "id_number.century_mismatch"),  # digit 4 says 2000s
    ],
)
def test_the_id_number_layout_is_checked_against_the_birth_date(
    app: IdentityApplication, id_number: str, born: str, code: str
) -> None:
    with pytest.raises(Refusal) as refused:
        app.start_registration(request_for({**HOA, "id_number": id_number, "date_of_birth": born}), ANONYMOUS)
    assert refused.value.code == code


def test_a_weak_password_is_refused_with_every_reason(app: IdentityApplication, sms: RecordingSms) -> None:
    with pytest.raises(Refusal) as refused:
        app.start_registration(request_for(HOA, password="0912345678"), ANONYMOUS)
    codes = {p["code"] for p in refused.value.details["problems"]}
    assert {"password.contains_personal_data"} <= codes
    assert sms.sent == []


def test_an_id_number_registers_once(app: IdentityApplication, sms: RecordingSms) -> None:
    register(app, sms)
    with pytest.raises(Refusal) as refused:
        app.start_registration(request_for(HOA), ANONYMOUS)
    assert refused.value.kind is Kind.CONFLICT
    assert refused.value.code == "registration.already_registered"


def test_a_stranger_s_pending_registration_neither_blocks_nor_sets_the_password(
    app: IdentityApplication, sms: RecordingSms, clock: FixedClock
) -> None:
    strangers = app.start_registration(request_for(HOA, password="mật khẩu của kẻ lạ"), ANONYMOUS)
    clock.set(clock.now() + timedelta(minutes=2))
    owners = app.start_registration(request_for(HOA), ANONYMOUS)

    account = app.verify_registration(owners.registration_id, sms.last_code(HOA["phone"]), ANONYMOUS)

    assert app.tools.hashing.verify(account.password_hash, PASSWORD)
    with pytest.raises(Refusal) as refused:
        app.verify_registration(strangers.registration_id, "000000", ANONYMOUS)
    assert refused.value.kind is Kind.CONFLICT


def test_the_otp_expires_after_five_minutes(
    app: IdentityApplication, sms: RecordingSms, clock: FixedClock
) -> None:
    started = app.start_registration(request_for(HOA), ANONYMOUS)
    clock.set(clock.now() + timedelta(minutes=5))

    with pytest.raises(Refusal) as refused:
        app.verify_registration(started.registration_id, sms.last_code(HOA["phone"]), ANONYMOUS)
    assert refused.value.code == "otp.expired"


def test_five_wrong_codes_kill_the_challenge(app: IdentityApplication, sms: RecordingSms) -> None:
    started = app.start_registration(request_for(HOA), ANONYMOUS)
    right = sms.last_code(HOA["phone"])
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    outcomes = []
    for _ in range(5):
        with pytest.raises(Refusal) as refused:
            app.verify_registration(started.registration_id, wrong, ANONYMOUS)
        outcomes.append((refused.value.code, refused.value.details.get("attempts_left")))

    assert outcomes == [("otp.wrong_code", n) for n in (4, 3, 2, 1)] + [("otp.exhausted", None)]
    with pytest.raises(Refusal) as refused:
        app.verify_registration(started.registration_id, right, ANONYMOUS)
    assert refused.value.code == "otp.exhausted"


def test_resending_is_throttled_and_only_the_newest_code_counts(
    app: IdentityApplication, sms: RecordingSms, clock: FixedClock
) -> None:
    started = app.start_registration(request_for(HOA), ANONYMOUS)
    first = sms.last_code(HOA["phone"])

    clock.set(clock.now() + timedelta(seconds=30))
    with pytest.raises(Refusal) as refused:
        app.resend_registration_otp(started.registration_id)
    assert STATUS_OF[refused.value.kind] == 429 and refused.value.code == "otp.throttled"
    assert refused.value.details["retry_after"] == 31

    clock.set(clock.now() + timedelta(seconds=30))
    app.resend_registration_otp(started.registration_id)
    assert len(sms.sent) == 2

    if first != sms.last_code(HOA["phone"]):
        with pytest.raises(Refusal):
            app.verify_registration(started.registration_id, first, ANONYMOUS)
    app.verify_registration(started.registration_id, sms.last_code(HOA["phone"]), ANONYMOUS)


def test_at_most_five_codes_an_hour_go_to_one_phone(
    app: IdentityApplication, sms: RecordingSms, clock: FixedClock
) -> None:
    started = app.start_registration(request_for(HOA), ANONYMOUS)
    for _ in range(4):
        clock.set(clock.now() + timedelta(minutes=1))
        app.resend_registration_otp(started.registration_id)
    clock.set(clock.now() + timedelta(minutes=1))

    with pytest.raises(Refusal) as refused:
        app.resend_registration_otp(started.registration_id)
    assert refused.value.code == "otp.throttled"
    assert len(sms.sent) == 5


def test_an_unknown_registration_is_not_found(app: IdentityApplication) -> None:
    from uuid import uuid4

    with pytest.raises(Refusal) as refused:
        app.verify_registration(uuid4(), "123456", ANONYMOUS)
    assert refused.value.kind is Kind.NOT_FOUND


def test_a_failed_sms_is_a_retryable_error(app: IdentityApplication, sms: RecordingSms) -> None:
    sms.failing = True
    with pytest.raises(Refusal) as refused:
        app.start_registration(request_for(MAI), ANONYMOUS)
    assert STATUS_OF[refused.value.kind] == 503


def test_personal_data_is_encrypted_at_rest(app: IdentityApplication, sms: RecordingSms) -> None:
    register(app, sms)
    raw = b"".join(n.state for n in app.recorder.select_notifications(1, 1000))  # what the database holds
    assert b"001203004321" not in raw and "Nguyễn".encode() not in raw and b"0912345678" not in raw
