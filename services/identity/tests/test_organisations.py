"""Organisations: a valid tax code, a registered citizen as legal representative, once each."""

from __future__ import annotations

from uuid import uuid4

import pytest

from dvc_identity.application import IdentityApplication
from dvc_identity.domain.tax_code import check_tax_code
from dvc_kernel.errors import STATUS_OF
from dvc_kernel.refusal import Kind, Refusal

from .conftest import OPERATOR_META, RecordingSms, public, register


@pytest.mark.parametrize("code", ["0100109106", "0300588569", "0101248141", "0100109106-001"])
def test_published_tax_codes_pass_the_check_digit(code: str) -> None:
    assert check_tax_code(code) == code


@pytest.mark.parametrize("code", ["0100109107", "010010910", "0100109106-000", "01001O9106"])
def test_malformed_tax_codes_are_refused(code: str) -> None:
    with pytest.raises(ValueError):
        check_tax_code(code)


def test_a_citizen_registers_the_organisation_they_represent(
    app: IdentityApplication, sms: RecordingSms
) -> None:
    citizen = register(app, sms)
    organisation = app.register_organisation(citizen.id, "0100109106", " Tập đoàn  Viettel ", OPERATOR_META)

    assert organisation.name == "Tập đoàn Viettel"
    registered = public(app)[-1]
    assert registered.event_type == "OrganisationRegistered"
    assert (registered.tax_code, registered.representative_account_id) == ("0100109106", citizen.id)

    with pytest.raises(Refusal) as refused:
        app.register_organisation(citizen.id, "0100109106", "Viettel", OPERATOR_META)
    assert refused.value.kind is Kind.CONFLICT


def test_the_representative_must_be_a_registered_citizen(app: IdentityApplication) -> None:
    with pytest.raises(Refusal) as refused:
        app.register_organisation(uuid4(), "0100109106", "Viettel", OPERATOR_META)
    assert (STATUS_OF[refused.value.kind], refused.value.code) == (
        403,
        "organisation.representative_not_citizen",
    )
