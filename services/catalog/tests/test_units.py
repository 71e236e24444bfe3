"""Police units: 34 provinces and 3,321 communes after the 2025 merger, and competent-unit resolution."""

from __future__ import annotations

import pytest

from dvc_catalog.domain.catalog import Catalog
from dvc_catalog.domain.errors import UnitNotFound, WardNotFound
from dvc_catalog.domain.rules import UnitLevel

from .conftest import TODAY


def test_34_province_and_3321_commune_police_units(catalog: Catalog) -> None:
    assert len(catalog.units.find(level=UnitLevel.PROVINCE)) == 34
    assert len(catalog.units.find(level=UnitLevel.COMMUNE)) == 3321
    assert {u.code for u in catalog.units.find(level=UnitLevel.MINISTRY)} == {"C06", "A08"}


def test_unit_names_say_which_kind_of_division_they_police(catalog: Catalog) -> None:
    assert catalog.units.get("CAT-01").name == "Công an thành phố Hà Nội"
    assert catalog.units.get("CAT-04").name == "Công an tỉnh Cao Bằng"
    assert catalog.units.get("CAX-00070").name == "Công an phường Hoàn Kiếm"
    communes = catalog.units.find(level=UnitLevel.COMMUNE)
    kinds = ("Công an xã ", "Công an phường ", "Công an đặc khu ")
    assert all(u.name.startswith(kinds) for u in communes)
    assert sum(u.name.startswith("Công an đặc khu ") for u in communes) == 13
    assert all(not u.name.lower().startswith("công an xã xã") for u in communes)


def test_every_commune_unit_knows_its_province_unit(catalog: Catalog) -> None:
    for unit in catalog.units.find(level=UnitLevel.COMMUNE):
        parent = catalog.units.superior(unit)
        assert parent is not None and parent.level is UnitLevel.PROVINCE
        assert parent.province_code == unit.province_code


def test_commune_level_procedure_goes_to_the_commune_police_of_the_ward(catalog: Catalog) -> None:
    unit = catalog.competent_unit("1.004194", "00070", at=TODAY)
    assert (unit.code, unit.name) == ("CAX-00070", "Công an phường Hoàn Kiếm")
    assert catalog.competent_unit("1.004194", "70", at=TODAY).code == "CAX-00070"


def test_province_level_procedure_goes_to_the_province_police(catalog: Catalog) -> None:
    assert catalog.competent_unit("2.001194", "00070", at=TODAY).code == "CAT-01"
    assert catalog.competent_unit("1.001456", "00070", at=TODAY).name == "Công an thành phố Hà Nội"


def test_ministry_level_procedure_goes_to_the_department(catalog: Catalog) -> None:
    unit = catalog.competent_unit("1.003154", "00070", at=TODAY)
    assert (unit.code, unit.level) == ("C06", UnitLevel.MINISTRY)


@pytest.mark.parametrize("ward", ["99999", "abc", "", "0007000"])
def test_an_unknown_ward_is_a_clear_error(catalog: Catalog, ward: str) -> None:
    with pytest.raises(WardNotFound, match="Không tìm thấy xã, phường, đặc khu"):
        catalog.competent_unit("1.004194", ward, at=TODAY)


def test_unit_search_by_name_province_and_level(catalog: Catalog) -> None:
    found = catalog.units.find(q="hoan kiem")
    assert [u.code for u in found] == ["CAX-00070"]
    hanoi = catalog.units.find(level=UnitLevel.COMMUNE, province_code="01")
    assert hanoi and all(u.parent_code == "CAT-01" for u in hanoi)
    with pytest.raises(UnitNotFound):
        catalog.units.get("CAX-99999")
