"""An answer model read off an object: same-named attributes, the given values, its defaults."""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel

from dvc_kernel.attribute_views import view_of


@dataclass
class Account:
    id: str
    name: str
    secret: str
    units: list[str] = field(default_factory=list)


class AccountOut(BaseModel):
    account_id: str
    name: str
    units: list[str]
    note: str = "none"


def test_fields_are_read_by_name_but_for_those_given_and_absent_ones_keep_their_default() -> None:
    account = Account("a-1", "Lan", "s3cret", ["CAX-1"])

    shown = view_of(AccountOut, account, account_id=account.id)

    assert shown.model_dump() == {"account_id": "a-1", "name": "Lan", "units": ["CAX-1"], "note": "none"}
    assert shown.model_fields_set == {"account_id", "name", "units"}
    assert shown.units is not account.units  # validated into a list of its own


def test_a_given_value_wins_over_the_attribute_of_that_name() -> None:
    shown = view_of(AccountOut, Account("a-1", "Lan", "s3cret"), account_id="x", name="Hoa")

    assert (shown.account_id, shown.name) == ("x", "Hoa")
