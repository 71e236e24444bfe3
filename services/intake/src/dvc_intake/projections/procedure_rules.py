"""The catalog's published version, as intake's domain rules (the domain does not read contracts)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from dvc_contracts.catalog import FormSpec, ProcedureVersionPublished, UnitPublished
from dvc_kernel.catalog_replica import CatalogReplica

from ..domain.documents import DocumentRule
from ..domain.form import FieldRule, FormRules, Option
from ..domain.routing import Unit, UnitLevel


@dataclass(frozen=True)
class ProcedureRules:
    code: str
    version: int
    name: str
    level: int
    delivery_modes: tuple[str, ...]
    form: FormRules | None
    documents: tuple[DocumentRule, ...]
    unit_level: UnitLevel
    ministry_department_code: str | None


def form_rules(spec: FormSpec) -> FormRules:
    fields = tuple(
        FieldRule(
            name=f.name,
            label=f.label,
            type=f.type,
            required=f.required,
            pattern=f.pattern,
            pattern_hint=f.pattern_hint,
            min_length=f.min_length,
            max_length=f.max_length,
            minimum=f.minimum,
            maximum=f.maximum,
            options=tuple(Option(o.value, o.label) for o in f.options),
            not_in_future=f.not_in_future,
            min_date=f.min_date,
        )
        for f in spec.fields
    )
    return FormRules(code=spec.code, name=spec.name, fields=fields)


def rules_of(version: ProcedureVersionPublished) -> ProcedureRules:
    """The rules of a published version, made once per version the replica holds (the
    contract is frozen: the same object always gives the same rules)."""
    cached = _RULES.get((version.code, version.version))
    if cached is None or cached[0] is not version:
        cached = _RULES[(version.code, version.version)] = (version, _rules_of(version))
    return cached[1]


_RULES: dict[tuple[str, int], tuple[ProcedureVersionPublished, ProcedureRules]] = {}


def _rules_of(version: ProcedureVersionPublished) -> ProcedureRules:
    form = form_rules(version.form) if version.form is not None else None
    documents = tuple(
        DocumentRule(
            # The catalog's code; a copy published before codes existed is republished with
            # them, so the position-based fallback only names papers of such a copy.
            code=d.code or d.form_code or f"giay-to-{index}",
            name=d.name,
            required=d.required,
            condition=d.condition,
            filled_online=form is not None and d.form_code == form.code,
        )
        for index, d in enumerate(version.documents, start=1)
    )
    return ProcedureRules(
        code=version.code,
        version=version.version,
        name=version.name,
        level=version.level,
        delivery_modes=tuple(version.delivery_modes),
        form=form,
        documents=documents,
        unit_level=version.unit_level,
        ministry_department_code=version.ministry_department_code,
    )


def _unit(published: UnitPublished) -> Unit:
    return Unit(published.code, published.name, published.level, published.parent_code)


class UnitDirectory(Mapping[str, Unit]):
    """The replica's units seen as domain units, converted on lookup (the replica follows
    the catalog while the service runs, so nothing is copied)."""

    def __init__(self, catalog: CatalogReplica) -> None:
        self._units = catalog.units

    def __getitem__(self, code: str) -> Unit:
        return _unit(self._units[code])

    def __iter__(self) -> Iterator[str]:
        return iter(self._units)

    def __len__(self) -> int:
        return len(self._units)
