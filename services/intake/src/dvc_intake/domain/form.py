"""The rules of an online form (tờ khai) and the check of filled data against them.

A form is a list of typed fields with rules, as the catalog publishes them for a procedure
version. The check reports every problem at once, each naming the field and its Vietnamese
label, because a citizen who fixes one error only to be shown the next is a citizen who gives
up (procedures.md §9: answer concisely and specifically).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

FieldType = Literal["text", "integer", "date", "enum", "boolean"]
_INTEGER_TEXT = re.compile(r"-?\d+")


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class FieldRule:
    """One field: absent rules (None, empty) do not apply."""

    name: str
    label: str
    type: FieldType
    required: bool = False
    pattern: str | None = None
    pattern_hint: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    options: tuple[Option, ...] = ()
    not_in_future: bool = False
    min_date: date | None = None


@dataclass(frozen=True)
class FormRules:
    code: str
    name: str
    fields: tuple[FieldRule, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class FieldProblem:
    field: str
    label: str
    problem: str  # machine-readable: required, type, pattern, min_length, ...
    message: str  # Vietnamese, names the label

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "label": self.label, "problem": self.problem, "message": self.message}


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def check_form(form: FormRules | None, data: Mapping[str, Any], today: date) -> list[FieldProblem]:
    """Every problem of `data` against `form`, in form order, then unknown fields.

    `today` is the Vietnam date, for "not in the future" rules. A procedure without an online
    form takes no form data at all.
    """
    rules = form.fields if form is not None else ()
    problems: list[FieldProblem] = []
    for rule in rules:
        value = data.get(rule.name)
        if is_blank(value):
            if rule.required:
                problems.append(_problem(rule, "required", f"Vui lòng nhập «{rule.label}»."))
            continue
        problems.extend(_check_value(rule, value, today))
    known = {rule.name for rule in rules}
    where = f"tờ khai {form.code}" if form is not None else "hồ sơ của thủ tục này (thủ tục không có tờ khai)"
    for name in data:
        if name not in known:
            problems.append(FieldProblem(name, name, "unknown", f"Trường «{name}» không có trong {where}."))
    return problems


def _problem(rule: FieldRule, problem: str, message: str) -> FieldProblem:
    return FieldProblem(rule.name, rule.label, problem, message)


def _check_value(rule: FieldRule, value: Any, today: date) -> list[FieldProblem]:
    label = rule.label
    if rule.type == "text":
        if not isinstance(value, str):
            return [_problem(rule, "type", f"«{label}» phải là chuỗi ký tự.")]
        return _check_text(rule, value)
    if rule.type == "integer":
        number = _as_integer(value)
        if number is None:
            return [_problem(rule, "type", f"«{label}» phải là số nguyên.")]
        return _check_range(rule, number)
    if rule.type == "date":
        day = _as_date(value)
        if day is None:
            return [
                _problem(rule, "type", f"«{label}» phải là ngày hợp lệ, dạng NNNN-TT-NN (năm-tháng-ngày).")
            ]
        return _check_date(rule, day, today)
    if rule.type == "enum":
        allowed = {option.value for option in rule.options}
        if value not in allowed:
            choices = ", ".join(option.label for option in rule.options)
            return [_problem(rule, "enum", f"«{label}» chỉ nhận một trong các giá trị: {choices}.")]
        return []
    if not isinstance(value, bool):  # boolean
        return [_problem(rule, "type", f"«{label}» phải là Có hoặc Không.")]
    return []


def _check_text(rule: FieldRule, value: str) -> list[FieldProblem]:
    label, problems = rule.label, []
    if rule.min_length is not None and len(value.strip()) < rule.min_length:
        problems.append(_problem(rule, "min_length", f"«{label}» phải có ít nhất {rule.min_length} ký tự."))
    if rule.max_length is not None and len(value) > rule.max_length:
        problems.append(
            _problem(rule, "max_length", f"«{label}» không được dài quá {rule.max_length} ký tự.")
        )
    # fullmatch: a trailing newline must not slip through a pattern ending in `$`.
    if rule.pattern is not None and re.fullmatch(rule.pattern, value) is None:
        hint = f": {rule.pattern_hint}" if rule.pattern_hint else ""
        problems.append(_problem(rule, "pattern", f"«{label}» không đúng định dạng{hint}."))
    return problems


def _as_integer(value: Any) -> int | None:
    if isinstance(value, bool):  # JSON true is not the number 1
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _INTEGER_TEXT.fullmatch(value.strip()):
        return int(value.strip())
    return None


def _check_range(rule: FieldRule, number: int) -> list[FieldProblem]:
    label, problems = rule.label, []
    if rule.minimum is not None and number < rule.minimum:
        problems.append(_problem(rule, "minimum", f"«{label}» không được nhỏ hơn {rule.minimum}."))
    if rule.maximum is not None and number > rule.maximum:
        problems.append(_problem(rule, "maximum", f"«{label}» không được lớn hơn {rule.maximum}."))
    return problems


def _as_date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value.strip()) if len(value.strip()) == 10 else None
    except ValueError:
        return None


def _check_date(rule: FieldRule, day: date, today: date) -> list[FieldProblem]:
    label, problems = rule.label, []
    if rule.not_in_future and day > today:
        problems.append(_problem(rule, "in_future", f"«{label}» không được sau ngày hôm nay."))
    if rule.min_date is not None and day < rule.min_date:
        problems.append(
            _problem(rule, "min_date", f"«{label}» không được trước ngày {rule.min_date:%d/%m/%Y}.")
        )
    return problems


def merged(form_data: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """The form after a supplement: changed fields replaced; a null clears a field."""
    result = dict(form_data)
    for name, value in changes.items():
        if value is None:
            result.pop(name, None)
        else:
            result[name] = value
    return result
