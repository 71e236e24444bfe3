"""Names are NFC, e-mail addresses are checked by a library and never carry a line break."""

from __future__ import annotations

import unicodedata

import pytest
from pydantic import BaseModel, ValidationError

from dvc_kernel.errors import field_errors
from dvc_kernel.text import EmailAddress, PersonName


class Person(BaseModel):
    full_name: PersonName
    email: EmailAddress | None = None


def test_a_decomposed_name_is_stored_composed() -> None:
    typed = unicodedata.normalize("NFD", "Nguyễn Thị Ánh")
    assert len(typed) > len("Nguyễn Thị Ánh")
    person = Person(full_name=f"  {typed} ")
    assert person.full_name == "Nguyễn Thị Ánh" and unicodedata.is_normalized("NFC", person.full_name)


@pytest.mark.parametrize(
    "email",
    [
        "a@x.vn\r\nBcc: victim@example.com",
        "a@x.vn\nBcc: b@y.vn",
        "not-an-address",
        "a@",
        "a@@x.vn",
        "a b@x.vn",
    ],
)
def test_a_bad_or_injected_email_address_is_refused_in_vietnamese(email: str) -> None:
    with pytest.raises(ValidationError) as refused:
        Person(full_name="Trần Văn Nam", email=email)
    [problem] = field_errors(refused.value.errors())
    assert problem["field"] == "email" or problem["field"] == ""
    assert problem["problem"] in (
        "Địa chỉ thư điện tử không được chứa ký tự xuống dòng.",
        "Địa chỉ thư điện tử không hợp lệ.",
    )


def test_a_good_address_is_kept() -> None:
    assert Person(full_name="A", email="nguyen.van.a@cong-an.gov.vn").email == "nguyen.van.a@cong-an.gov.vn"
    assert Person(full_name="A", email="a@X.VN").email == "a@x.vn"
