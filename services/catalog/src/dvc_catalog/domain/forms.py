"""Forms (tờ khai): typed fields with Vietnamese labels and validation rules, and their validation."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from typing import Self

from pydantic import Field, model_validator

from .base import Citation, Frozen


class FieldType(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    DATE = "date"
    ENUM = "enum"
    BOOLEAN = "boolean"


class Option(Frozen):
    value: str = Field(min_length=1)
    label: str = Field(min_length=1)


class FormField(Frozen):
    """One field of a form; every rule is optional data, checked only when present."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str = Field(min_length=1)
    type: FieldType
    required: bool = False
    help: str | None = None
    pattern: str | None = None
    # Shown to the citizen when `pattern` fails: a regex means nothing to them.
    pattern_hint: str | None = None
    min_length: int | None = Field(default=None, ge=0)
    max_length: int | None = Field(default=None, ge=1)
    minimum: int | None = None
    maximum: int | None = None
    options: tuple[Option, ...] = ()
    not_in_future: bool = False
    min_date: date | None = None

    @model_validator(mode="after")
    def _rules_fit_type(self) -> Self:
        if (self.type is FieldType.ENUM) != bool(self.options):
            raise ValueError("options are required for enum fields and only for them")
        if self.pattern is not None:
            if self.type is not FieldType.TEXT:
                raise ValueError("pattern applies to text fields only")
            if self.pattern_hint is None:
                raise ValueError("pattern needs a pattern_hint the citizen can read")
            re.compile(self.pattern)
        length_rules = self.min_length is not None or self.max_length is not None
        if length_rules and self.type is not FieldType.TEXT:
            raise ValueError("min_length/max_length apply to text fields only")
        if (self.minimum is not None or self.maximum is not None) and self.type is not (FieldType.INTEGER):
            raise ValueError("minimum/maximum apply to integer fields only")
        if (self.not_in_future or self.min_date is not None) and self.type is not FieldType.DATE:
            raise ValueError("date rules apply to date fields only")
        lengths = (self.min_length, self.max_length)
        if lengths[0] is not None and lengths[1] is not None and lengths[0] > lengths[1]:
            raise ValueError("min_length is greater than max_length")
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise ValueError("minimum is greater than maximum")
        return self


class Form(Frozen):
    code: str = Field(pattern=r"^[A-Z][A-Z0-9]*$")
    name: str = Field(min_length=3)
    legal_basis: tuple[Citation, ...] = Field(min_length=1)
    fields: tuple[FormField, ...] = Field(min_length=1)
    note: str | None = None

    @model_validator(mode="after")
    def _unique_names(self) -> Self:
        names = [f.name for f in self.fields]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"duplicate field names: {', '.join(duplicates)}")
        return self

    def field(self, name: str) -> FormField | None:
        return next((f for f in self.fields if f.name == name), None)


class FieldError(Frozen):
    """One problem with one field, phrased for the citizen (Vietnamese, names the field's label)."""

    field: str
    code: str
    message: str


def validate_form(form: Form, data: Mapping[str, object], *, today: date | None = None) -> list[FieldError]:
    """Every problem with `data` filled into `form`, in form order; empty when valid.

    `today` comes from the caller's clock (Asia/Ho_Chi_Minh); it is only read for
    `not_in_future` rules and defaults to the host date.
    """
    errors = [
        FieldError(
            field=name,
            code="unknown_field",
            message=f"Trường «{name}» không có trong tờ khai {form.code}.",
        )
        for name in data
        if form.field(name) is None
    ]
    for spec in form.fields:
        value = data.get(spec.name)
        if _is_blank(value):
            if spec.required:
                errors.append(_error(spec, "required", "là thông tin bắt buộc, không được để trống."))
            continue
        problem = _check(spec, value, today or date.today())
        if problem is not None:
            errors.append(_error(spec, *problem))
    return errors


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _error(spec: FormField, code: str, text: str) -> FieldError:
    return FieldError(field=spec.name, code=code, message=f"{spec.label} {text}")


def _check(spec: FormField, value: object, today: date) -> tuple[str, str] | None:
    match spec.type:
        case FieldType.TEXT:
            return _check_text(spec, value)
        case FieldType.INTEGER:
            return _check_integer(spec, value)
        case FieldType.DATE:
            return _check_date(spec, value, today)
        case FieldType.ENUM:
            allowed = [o.value for o in spec.options]
            if value not in allowed:
                labels = "; ".join(o.label for o in spec.options)
                return "not_in_options", f"phải là một trong các giá trị: {labels}."
            return None
        case FieldType.BOOLEAN:
            if not isinstance(value, bool):
                return "not_boolean", "phải là có hoặc không."
            return None


def _check_text(spec: FormField, value: object) -> tuple[str, str] | None:
    if not isinstance(value, str):
        return "not_text", "phải là chuỗi ký tự."
    text = value.strip()
    if spec.min_length is not None and len(text) < spec.min_length:
        return "too_short", f"phải có ít nhất {spec.min_length} ký tự."
    if spec.max_length is not None and len(text) > spec.max_length:
        return "too_long", f"không được dài quá {spec.max_length} ký tự."
    if spec.pattern is not None and re.fullmatch(spec.pattern, text) is None:
        return "invalid_format", f"không đúng định dạng: {spec.pattern_hint}."
    return None


def _check_integer(spec: FormField, value: object) -> tuple[str, str] | None:
    if isinstance(value, bool):
        return "not_integer", "phải là số nguyên."
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        value = int(value)
    if not isinstance(value, int):
        return "not_integer", "phải là số nguyên."
    if spec.minimum is not None and value < spec.minimum:
        return "too_small", f"không được nhỏ hơn {spec.minimum}."
    if spec.maximum is not None and value > spec.maximum:
        return "too_large", f"không được lớn hơn {spec.maximum}."
    return None


def _check_date(spec: FormField, value: object, today: date) -> tuple[str, str] | None:
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            return "invalid_date", "phải là ngày hợp lệ theo dạng năm-tháng-ngày (YYYY-MM-DD)."
    if not isinstance(value, date):
        return "invalid_date", "phải là ngày hợp lệ theo dạng năm-tháng-ngày (YYYY-MM-DD)."
    if spec.not_in_future and value > today:
        return "in_future", "không được sau ngày hiện tại."
    if spec.min_date is not None and value < spec.min_date:
        return "too_early", f"không được trước ngày {spec.min_date:%d/%m/%Y}."
    return None
