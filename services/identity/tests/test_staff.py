"""Given an operator, staff are appointed, transferred and removed; each is a public event."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from dvc_identity.application import IdentityApplication
from dvc_identity.application.sessions import AccountType
from dvc_identity.application.staff import StaffRequest
from dvc_kernel.auth.principal import Role
from dvc_kernel.clock import FixedClock
from dvc_kernel.refusal import Kind, Refusal

from .conftest import OPERATOR_META, RecordingSms, log_in, public
from .test_login import verify

OFFICER = StaffRequest(
    id_number="038088004567",
    full_name="Hoàng Văn Đức",
    phone="0987654321",
    role="officer",
    units=["cax-00070"],
    password="trực ban phường Hoàn Kiếm",
)


def test_appointment_transfer_and_removal_are_public_events(app: IdentityApplication) -> None:
    officer = app.appoint_staff(OFFICER, OPERATOR_META)
    assert officer.units == ["CAX-00070"]

    app.change_staff_units(officer.id, ["CAT-01", "CAX-00070"], OPERATOR_META)
    app.change_staff_units(officer.id, ["CAX-00070", "CAT-01"], OPERATOR_META)  # same set: nothing
    app.remove_staff(officer.id, "Nghỉ hưu", OPERATOR_META)
    app.remove_staff(officer.id, "Nghỉ hưu", OPERATOR_META)  # repeated: nothing

    events = public(app)
    assert [p.event_type for p in events] == ["StaffAppointed", "StaffScopeChanged", "StaffRemoved"]
    appointed, moved, removed = events
    assert (appointed.role, appointed.units) == ("officer", ["CAX-00070"])
    assert (moved.previous_units, moved.units) == (["CAX-00070"], ["CAT-01", "CAX-00070"])
    assert removed.reason == "Nghỉ hưu"


def test_a_staff_token_carries_role_and_units(
    app: IdentityApplication, sms: RecordingSms, clock: FixedClock
) -> None:
    officer = app.appoint_staff(OFFICER, OPERATOR_META)
    tokens = log_in(app, sms, OFFICER.id_number, OFFICER.password, AccountType.STAFF)

    principal = verify(app, tokens.access.token, clock)
    assert principal.subject == str(officer.id)
    assert (principal.role, principal.units) == (Role.OFFICER, frozenset({"CAX-00070"}))

    clock.set(clock.now() + timedelta(minutes=1))
    app.change_staff_units(officer.id, ["CAX-00004"], OPERATOR_META)
    refreshed = app.refresh(tokens.refresh_token, OPERATOR_META)
    assert verify(app, refreshed.access.token, clock).units == frozenset({"CAX-00004"})


def test_a_removed_officer_can_neither_log_in_nor_refresh(
    app: IdentityApplication, sms: RecordingSms
) -> None:
    officer = app.appoint_staff(OFFICER, OPERATOR_META)
    tokens = log_in(app, sms, OFFICER.id_number, OFFICER.password, AccountType.STAFF)
    app.remove_staff(officer.id, "Chuyển công tác ngoài ngành", OPERATOR_META)

    with pytest.raises(Refusal) as refused:
        app.refresh(tokens.refresh_token, OPERATOR_META)
    assert refused.value.code == "login.account_closed"
    with pytest.raises(Refusal) as refused:
        app.start_login(OFFICER.id_number, OFFICER.password, AccountType.STAFF, OPERATOR_META)
    assert refused.value.code == "login.invalid_credentials"


def test_a_removed_officer_may_be_appointed_again_as_a_new_account(app: IdentityApplication) -> None:
    first = app.appoint_staff(OFFICER, OPERATOR_META)
    with pytest.raises(Refusal) as refused:
        app.appoint_staff(OFFICER, OPERATOR_META)
    assert refused.value.kind is Kind.CONFLICT
    app.remove_staff(first.id, "Tạm đình chỉ", OPERATOR_META)
    second = app.appoint_staff(OFFICER, OPERATOR_META)
    assert second.id != first.id


@pytest.mark.parametrize(
    ("units", "code"),
    [
        ([], "staff.no_units"),
        (["CA-1"], "staff.bad_unit_code"),
        (["CAX-99999"], "staff.unknown_unit"),  # no such ward
        (["CAT-99"], "staff.unknown_unit"),  # no such province
    ],
)
def test_unit_codes_are_checked(app: IdentityApplication, units: list[str], code: str) -> None:
    with pytest.raises(Refusal) as refused:
        app.appoint_staff(StaffRequest(**{**OFFICER.__dict__, "units": units}), OPERATOR_META)
    assert refused.value.code == code


def test_ministry_departments_are_accepted_by_format(app: IdentityApplication) -> None:
    auditor = app.appoint_staff(
        StaffRequest(**{**OFFICER.__dict__, "role": "auditor", "units": ["C06"]}), OPERATOR_META
    )
    assert auditor.units == ["C06"]


def test_an_operator_cannot_remove_themselves_and_unknown_staff_is_not_found(
    app: IdentityApplication,
) -> None:
    operator = app.appoint_staff(
        StaffRequest(**{**OFFICER.__dict__, "role": "operator", "units": ["C06"]}), OPERATOR_META
    )
    with pytest.raises(Refusal) as refused:
        app.remove_staff(operator.id, "thử", OPERATOR_META.__class__(str(operator.id), "operator"))
    assert refused.value.kind is Kind.CONFLICT
    with pytest.raises(Refusal) as refused:
        app.change_staff_units(uuid4(), ["C06"], OPERATOR_META)
    assert refused.value.kind is Kind.NOT_FOUND
