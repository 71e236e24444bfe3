"""Fee assessment: what a dossier owes, read from the procedure version it was filed under.

The schedule (cases, online and in-person amounts, exempt categories, legal basis) is the
catalog's data; the reading rules (which form field names the case, which exemptions follow
from age, which methods a level allows) are `data/fee_rules.yaml`. Nothing here knows a number.
Circular 75/2022/TT-BTC Art. 4 lists who is exempt from residence fees; the procedure's schedule
lists the codes it applies, and an exemption counts only when the schedule lists it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Rate = Literal["online", "in_person"]


@dataclass(frozen=True)
class FeeCase:
    case: str
    label: str
    in_person: int
    online: int
    basis: str  # per_dossier | per_person | per_item | per_data_field

    def amount(self, rate: Rate) -> int:
        return self.online if rate == "online" else self.in_person


@dataclass(frozen=True)
class Exemption:
    code: str
    label: str
    basis: str  # the provisions granting it, as one citation text


@dataclass(frozen=True)
class Schedule:
    """One procedure version's fee facts."""

    procedure_code: str
    procedure_name: str
    version: int
    level: int
    payment_timing: str
    cases: tuple[FeeCase, ...]
    exemptions: tuple[Exemption, ...]
    basis: str  # the fee instruments, as one citation text

    def case(self, code: str | None) -> FeeCase | None:
        return next((c for c in self.cases if c.case == code), None)


@dataclass(frozen=True)
class AgeExemption:
    code: str
    rule: str
    under: int | None = None
    at_least: int | None = None

    def applies(self, age: int) -> bool:
        if self.under is not None and age >= self.under:
            return False
        return not (self.at_least is not None and age < self.at_least)


@dataclass(frozen=True)
class ReadingRules:
    """`data/fee_rules.yaml`."""

    case_field: str
    quantity_field: str
    declared_exemption_field: str
    date_of_birth_field: str
    age_exemptions: tuple[AgeExemption, ...]
    methods_by_level: Mapping[int, tuple[str, ...]]
    due_by_timing: Mapping[str, str]
    basis_units: Mapping[str, str]


@dataclass(frozen=True)
class Filing:
    """What the dossier says that matters for its fee."""

    form_data: Mapping[str, object]
    filed_on: date  # Vietnam date of submission
    date_of_birth: date | None = None
    rate: Rate = "online"  # dossiers submitted through the portal are filed online


@dataclass(frozen=True)
class Assessment:
    amount_vnd: int
    rate: Rate
    rule: str
    exemption: str | None
    due: str
    methods: tuple[str, ...]
    case: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)


def vnd(amount: int) -> str:
    """12.000 đồng: Vietnamese thousands separator."""
    return f"{amount:,}".replace(",", ".") + " đồng"


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def assess(schedule: Schedule, filing: Filing, rules: ReadingRules) -> Assessment:
    due = rules.due_by_timing.get(schedule.payment_timing, "on_submission")
    if not schedule.cases or schedule.payment_timing == "none":
        return Assessment(
            0,
            filing.rate,
            f"Thủ tục «{schedule.procedure_name}» không thu phí, lệ phí "
            f"(dữ liệu thủ tục {schedule.procedure_code}, phiên bản {schedule.version}).",
            None,
            due,
            (),
        )
    notes: list[str] = []
    chosen = filing.form_data.get(rules.case_field)
    case = schedule.case(str(chosen)) if chosen is not None else None
    if case is None:
        # The catalog lists the general case first; a form that cannot name the case gets it.
        case = schedule.cases[0]
        if chosen is not None:
            notes.append(f"Trường hợp «{chosen}» không có trong biểu phí; áp dụng «{case.label}».")
    quantity = _quantity(case, filing.form_data.get(rules.quantity_field))
    unit_amount = case.amount(filing.rate)
    unit = rules.basis_units.get(case.basis, "hồ sơ")
    channel = "nộp hồ sơ trực tuyến" if filing.rate == "online" else "nộp hồ sơ trực tiếp"
    computed = unit_amount * quantity
    how = f"{vnd(unit_amount)}/{unit}" + (f" × {quantity} {unit} = {vnd(computed)}" if quantity > 1 else "")
    rule = f"Lệ phí {case.label}, {channel}: {how} ({schedule.basis})."
    methods = tuple(rules.methods_by_level.get(schedule.level, ("counter",)))
    exempt = _exemption(schedule, filing, rules)
    if exempt is not None:
        exemption, why = exempt
        return Assessment(
            0,
            filing.rate,
            f"Miễn lệ phí: {exemption.label} ({why}). Mức lệ phí nếu không được miễn: {how}.",
            exemption.label,
            due,
            (),
            case.case,
            tuple(notes),
        )
    if computed == 0:
        methods = ()
    return Assessment(computed, filing.rate, rule, None, due, methods, case.case, tuple(notes))


def _quantity(case: FeeCase, given: object) -> int:
    if case.basis == "per_dossier" or not isinstance(given, int | float | str):
        return 1  # a JSON list, object or null counts one
    try:
        number = int(given)
    except (TypeError, ValueError):
        return 1
    return max(1, number)


def _exemption(schedule: Schedule, filing: Filing, rules: ReadingRules) -> tuple[Exemption, str] | None:
    listed = {e.code: e for e in schedule.exemptions}
    born = filing.date_of_birth or _as_date(filing.form_data.get(rules.date_of_birth_field))
    if born is not None:
        age = age_on(born, filing.filed_on)
        for by_age in rules.age_exemptions:
            if by_age.code in listed and by_age.applies(age):
                exemption = listed[by_age.code]
                return exemption, f"{age} tuổi vào ngày nộp hồ sơ; {by_age.rule}; {exemption.basis}"
    declared = filing.form_data.get(rules.declared_exemption_field)
    if isinstance(declared, str) and declared in listed:
        exemption = listed[declared]
        return exemption, f"theo đối tượng người nộp khai trong tờ khai; {exemption.basis}"
    return None


def _as_date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def citations(items: Sequence[tuple[str, str | None]]) -> str:
    """`Thông tư 75/2022/TT-BTC, Điều 4; …` from (document, provision) pairs."""
    return "; ".join(f"{doc}, {prov}" if prov else doc for doc, prov in items)
