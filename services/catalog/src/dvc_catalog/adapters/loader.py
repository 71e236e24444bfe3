"""Load and validate every data file; any problem stops the load with the file and field named."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from ..domain.base import FieldOfActivity
from ..domain.catalog import Catalog
from ..domain.forms import Form
from ..domain.procedures import Procedure, ProcedureVersion
from ..domain.rules import Exemption, UnitLevel
from ..domain.units import Unit, UnitDirectory
from .divisions import commune_units, province_units
from .errors import CatalogDataError
from .files import Department, DepartmentsFile, ExemptionsFile, FieldsFile, ProcedureVersionFile

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
_VERSION_FILE = re.compile(r"^v(\d+)\.yaml$")
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class _References:
    """What a procedure version may name, by code: checked for every version file."""

    fields: dict[str, FieldOfActivity]
    forms: dict[str, Form]
    exemptions: dict[str, Exemption]
    departments: set[str]


def load_catalog(data_dir: Path = DATA_DIR, *, local_units: Iterable[Unit] | None = None) -> Catalog:
    """The whole catalog from `data_dir`.

    `local_units` replaces the province and commune units derived from the administrative
    divisions (tests pass a handful); by default all 34 + 3,321 are built.
    """
    fields = {f.code: f for f in _parse(data_dir / "fields.yaml", FieldsFile).fields}
    exemptions = {e.code: e for e in _parse(data_dir / "exemptions.yaml", ExemptionsFile).exemptions}
    departments = _parse(data_dir / "departments.yaml", DepartmentsFile).departments
    forms = {f.code: f for f in _load_forms(data_dir / "forms")}
    references = _References(fields, forms, exemptions, {d.code for d in departments})
    procedures = [
        _load_procedure(directory, references)
        for directory in sorted(p for p in (data_dir / "procedures").iterdir() if p.is_dir())
    ]
    if local_units is None:
        local_units = [*province_units(), *commune_units()]
    units = UnitDirectory([*(_department_unit(d) for d in departments), *local_units])
    return Catalog(
        procedures=procedures,
        fields=fields.values(),
        forms=forms.values(),
        exemptions=exemptions.values(),
        units=units,
    )


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CatalogDataError(path, "(file)", f"not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise CatalogDataError(path, "(file)", "expected a mapping at the top level")
    return raw


def _parse(path: Path, model: type[M], raw: dict[str, Any] | None = None) -> M:
    try:
        return model.model_validate(_read_yaml(path) if raw is None else raw)
    except ValidationError as exc:
        raise CatalogDataError.from_validation(path, exc) from exc


def _load_forms(directory: Path) -> list[Form]:
    forms = []
    for path in sorted(directory.glob("*.yaml")):
        form = _parse(path, Form)
        if path.stem != form.code:
            raise CatalogDataError(path, "code", f"form {form.code} must live in {form.code}.yaml")
        forms.append(form)
    return forms


def _department_unit(department: Department) -> Unit:
    return Unit(
        code=department.code,
        name=department.name,
        short_name=department.short_name,
        level=UnitLevel.MINISTRY,
    )


def _load_procedure(directory: Path, references: _References) -> Procedure:
    files: dict[int, Path] = {}
    for path in directory.iterdir():
        match = _VERSION_FILE.match(path.name)
        if match is None:
            raise CatalogDataError(path, "(file)", "procedure files must be named v<N>.yaml")
        files[int(match.group(1))] = path
    raws: dict[int, dict[str, Any]] = {}
    versions = []
    for number in sorted(files):
        path = files[number]
        raw = _merge_revision(path, _read_yaml(path), raws)
        raws[number] = raw
        parsed = _parse(path, ProcedureVersionFile, raw)
        if parsed.version != number:
            raise CatalogDataError(path, "version", f"file v{number}.yaml holds version {parsed.version}")
        if parsed.code != directory.name:
            raise CatalogDataError(path, "code", f"{parsed.code} must live in procedures/{parsed.code}/")
        versions.append(_build_version(path, parsed, references))
    try:
        return Procedure(code=directory.name, versions=tuple(versions))
    except ValidationError as exc:
        raise CatalogDataError.from_validation(directory, exc, prefix="versions") from exc


def _merge_revision(path: Path, raw: dict[str, Any], earlier: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """A revision file replaces whole top-level keys of the version it revises."""
    if "revises" not in raw:
        return raw
    base_number = raw.pop("revises")
    if base_number not in earlier:
        raise CatalogDataError(path, "revises", f"version {base_number} is not an earlier version")
    if "unsure_facts" not in raw:
        # Notes about the old version's facts must be restated on purpose, never inherited blindly.
        raw["unsure_facts"] = [
            u for u in earlier[base_number].get("unsure_facts", []) if u["fact"].split(".")[0] not in raw
        ]
    return {**earlier[base_number], **raw}


def _build_version(path: Path, parsed: ProcedureVersionFile, references: _References) -> ProcedureVersion:
    forms, exemptions = references.forms, references.exemptions
    field = references.fields.get(parsed.field)
    if field is None:
        raise CatalogDataError(path, "field", f"unknown field of activity '{parsed.field}'")
    form = None
    if parsed.form is not None:
        form = forms.get(parsed.form)
        if form is None:
            raise CatalogDataError(path, "form", f"unknown form '{parsed.form}'")
    for index, doc in enumerate(parsed.documents):
        if doc.form_code is not None and doc.form_code not in forms:
            raise CatalogDataError(path, f"documents.{index}.form_code", f"unknown form '{doc.form_code}'")
    resolved = []
    for index, code in enumerate(parsed.fees.exemptions):
        if code not in exemptions:
            raise CatalogDataError(path, f"fees.exemptions.{index}", f"unknown exemption '{code}'")
        resolved.append(exemptions[code])
    if parsed.ministry_department is not None and parsed.ministry_department not in references.departments:
        raise CatalogDataError(
            path, "ministry_department", f"unknown department '{parsed.ministry_department}'"
        )
    data = parsed.model_dump(exclude={"field", "form", "fees"})
    data |= {
        "field": field,
        "form": form,
        "fees": {**parsed.fees.model_dump(exclude={"exemptions"}), "exemptions": resolved},
    }
    try:
        return ProcedureVersion.model_validate(data)
    except ValidationError as exc:
        raise CatalogDataError.from_validation(path, exc) from exc
