"""Postal delivery rules: where to post a result and what the applicant pays (Decision 45/2016)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypedDict

from vietnam_provinces import Province, Ward


class Fees(TypedDict):
    same_province: int
    other_province: int


class PostalData(TypedDict):
    """`data/postal.yaml` (its `payer` and `collected` are read by people, not code)."""

    max_attempts: int
    fees: Fees
    address_fields: dict[str, dict[str, str]]


@dataclass(frozen=True)
class PostalRules:
    max_attempts: int
    fee_same_province: int
    fee_other_province: int
    address_fields: dict[str, dict[str, str]]

    @classmethod
    def from_data(cls, data: PostalData) -> PostalRules:
        return cls(
            max_attempts=int(data["max_attempts"]),
            fee_same_province=int(data["fees"]["same_province"]),
            fee_other_province=int(data["fees"]["other_province"]),
            address_fields={str(k): dict(v) for k, v in data["address_fields"].items()},
        )

    def fee(self, address: dict[str, str], unit_province_code: str | None) -> int:
        """The tariff by destination: within the unit's province, or elsewhere."""
        same = unit_province_code is not None and address.get("province_code") == unit_province_code
        return self.fee_same_province if same else self.fee_other_province

    def address_from_form(
        self, form_code: str | None, form_data: Mapping[str, object], recipient: str, phone: str
    ) -> dict[str, str] | None:
        """The address the dossier's form holds, if its form has one and it is filled in."""
        fields = self.address_fields.get(form_code or "")
        if fields is None:
            return None
        street = str(form_data.get(fields["street"]) or "").strip()
        ward_code = str(form_data.get(fields["ward_code"]) or "").strip()
        if not street or not ward_code:
            return None
        return postal_address(recipient, phone, street, ward_code)


def postal_address(recipient: str, phone: str, street: str, ward_code: str) -> dict[str, str] | None:
    """A full address from a ward code; None when no current ward has that code."""
    ward = ward_by_code(ward_code)
    if ward is None:
        return None
    province = Province.from_code(ward.province_code)
    return {
        "recipient": recipient,
        "phone": phone,
        "street": street,
        "commune": ward.name,
        "ward_code": f"{int(ward.code):05d}",
        "province": province.name,
        "province_code": f"{int(province.code):02d}",
    }


def ward_by_code(code: str) -> Ward | None:
    if not code.isdigit():
        return None
    try:
        return Ward.from_code(int(code))  # type: ignore[arg-type]  # WardCode is an int enum
    except (ValueError, KeyError):
        return None


CONTRACT_FIELDS = ("recipient", "phone", "street", "commune", "province")


def contract_address(address: dict[str, str]) -> dict[str, str]:
    """The public event's address (PostalAddress): names, not our codes."""
    return {key: address[key] for key in CONTRACT_FIELDS}
