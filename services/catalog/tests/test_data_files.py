"""Every data file loads; a broken one stops the load naming the file and the field."""

from __future__ import annotations

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


def _load(data_dir: Path) -> None:
    # Two provinces are enough to exercise the data files without building 3,355 units.
    load_catalog(data_dir, local_units=list(province_units())[:2])


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# (procedure, version file, text in it, replaced by, the field the error names)
BROKEN_FIELDS = [
    # a fee that is not an integer
    ("1.004194", "v1.yaml", "in_person: 15000", "in_person: mười lăm nghìn", "fees.items.0.in_person"),
    # an unknown key is an error, not silently dropped
    ("1.004222", "v1.yaml", "level: 4", "level: 4\nmuc_do: 4", "muc_do"),
    # a deadline kind outside the rule set
    ("1.010028", "v1.yaml", "kind: working_days", "kind: weeks", "deadline.kind"),
    # an unknown form reference
    ("1.004222", "v1.yaml", "form: CT01", "form: CT99", "form"),
    # an unknown exemption, named by its position
    ("1.004194", "v1.yaml", "- tre_em", "- sinh_vien", "fees.exemptions.0"),
    # a revision must revise an earlier version
    ("1.004194", "v2.yaml", "revises: 1", "revises: 3", "revises"),
]


@pytest.mark.parametrize(
    ("code", "version", "old", "new", "field"), BROKEN_FIELDS, ids=[row[-1] for row in BROKEN_FIELDS]
)
def test_a_broken_procedure_file_names_file_and_field(
    data_copy: Path, code: str, version: str, old: str, new: str, field: str
) -> None:
    broken = data_copy / "procedures" / code / version
    _replace(broken, old, new)
    with pytest.raises(CatalogDataError) as caught:
        _load(data_copy)
    assert caught.value.path == broken
    assert caught.value.field == field
    assert str(broken) in str(caught.value) and field in str(caught.value)


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
