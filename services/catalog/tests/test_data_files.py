"""Every data file loads; a broken one stops the load naming the file and the field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dvc_catalog.adapters import DATA_DIR, CatalogDataError, load_catalog
from dvc_catalog.adapters.divisions import province_units
from dvc_catalog.domain.catalog import Catalog


def test_every_procedure_file_is_loaded(catalog: Catalog) -> None:
    files = sorted(DATA_DIR.glob("procedures/*/v*.yaml"))
    assert sum(len(p.versions) for p in catalog.procedures) == len(files)
    assert {p.code for p in catalog.procedures} == {f.parent.name for f in files}


def test_every_form_file_is_loaded(catalog: Catalog) -> None:
    assert set(catalog.forms) == {p.stem for p in DATA_DIR.glob("forms/*.yaml")}


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def _load(data_dir: Path) -> None:
    # Two provinces are enough to exercise the data files without building 3,355 units.
    load_catalog(data_dir, local_units=list(province_units())[:2])


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_fee_that_is_not_an_integer_names_file_and_field(data_copy: Path) -> None:
    broken = data_copy / "procedures" / "1.004194" / "v1.yaml"
    _replace(broken, "in_person: 15000", "in_person: mười lăm nghìn")
    with pytest.raises(CatalogDataError) as caught:
        _load(data_copy)
    assert caught.value.path == broken
    assert caught.value.field == "fees.items.0.in_person"
    assert str(broken) in str(caught.value) and "fees.items.0.in_person" in str(caught.value)


def test_an_unknown_key_is_an_error_not_silently_dropped(data_copy: Path) -> None:
    broken = data_copy / "procedures" / "1.004222" / "v1.yaml"
    _replace(broken, "level: 4", "level: 4\nmuc_do: 4")
    with pytest.raises(CatalogDataError) as caught:
        _load(data_copy)
    assert caught.value.path == broken and caught.value.field == "muc_do"


def test_a_deadline_kind_outside_the_rule_set_names_the_field(data_copy: Path) -> None:
    broken = data_copy / "procedures" / "1.010028" / "v1.yaml"
    _replace(broken, "kind: working_days", "kind: weeks")
    with pytest.raises(CatalogDataError) as caught:
        _load(data_copy)
    assert caught.value.field == "deadline.kind"


def test_an_unknown_form_reference_names_the_field(data_copy: Path) -> None:
    broken = data_copy / "procedures" / "1.004222" / "v1.yaml"
    _replace(broken, "form: CT01", "form: CT99")
    with pytest.raises(CatalogDataError) as caught:
        _load(data_copy)
    assert caught.value.path == broken and caught.value.field == "form"


def test_an_unknown_exemption_names_its_position(data_copy: Path) -> None:
    broken = data_copy / "procedures" / "1.004194" / "v1.yaml"
    _replace(broken, "- tre_em", "- sinh_vien")
    with pytest.raises(CatalogDataError) as caught:
        _load(data_copy)
    assert caught.value.field == "fees.exemptions.0"


def test_a_revision_must_revise_an_earlier_version(data_copy: Path) -> None:
    broken = data_copy / "procedures" / "1.004194" / "v2.yaml"
    _replace(broken, "revises: 1", "revises: 3")
    with pytest.raises(CatalogDataError) as caught:
        _load(data_copy)
    assert caught.value.path == broken and caught.value.field == "revises"


def test_a_revision_taking_effect_before_its_predecessor_is_refused(data_copy: Path) -> None:
    _replace(
        data_copy / "procedures" / "1.004194" / "v2.yaml",
        "effective_from: 2025-01-10",
        "effective_from: 2023-01-10",
    )
    with pytest.raises(CatalogDataError, match="take effect after"):
        _load(data_copy)


def test_invalid_yaml_names_the_file(data_copy: Path) -> None:
    broken = data_copy / "forms" / "CT01.yaml"
    broken.write_text("code: CT01\nfields: [unclosed\n", encoding="utf-8")
    with pytest.raises(CatalogDataError) as caught:
        _load(data_copy)
    assert caught.value.path == broken and "YAML" in caught.value.message


def test_an_unsure_mark_must_name_an_existing_fact(data_copy: Path) -> None:
    broken = data_copy / "procedures" / "1.010038" / "v1.yaml"
    _replace(broken, "- fact: national_code", "- fact: phi_tach_ho")
    with pytest.raises(CatalogDataError, match="phi_tach_ho"):
        _load(data_copy)


def test_a_free_procedure_cannot_ask_for_payment(data_copy: Path) -> None:
    broken = data_copy / "procedures" / "1.010028" / "v1.yaml"
    _replace(broken, "payment_timing: none", "payment_timing: before_submission")
    with pytest.raises(CatalogDataError, match="payment_timing"):
        _load(data_copy)


def test_a_pattern_without_a_hint_for_citizens_is_refused(data_copy: Path) -> None:
    broken = data_copy / "forms" / "CT01.yaml"
    _replace(broken, "    pattern_hint: gồm đúng 12 chữ số\n", "")
    with pytest.raises(CatalogDataError) as caught:
        _load(data_copy)
    assert caught.value.path == broken and caught.value.field.startswith("fields.")
