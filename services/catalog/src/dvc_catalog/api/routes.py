"""Catalog routes, built around an already loaded catalog (the composition root injects it)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from fastapi import APIRouter

from dvc_contracts.catalog import ProcedureVersionPublished, UnitPublished
from dvc_kernel.clock import VIETNAM, Clock, SystemClock
from dvc_kernel.refusal import Kind, Refusal

from ..domain.catalog import Catalog
from ..domain.rules import UnitLevel
from ..domain.units import normalise_division_code
from ..translation import procedure_version_published, unit_published
from .errors import invalid_parameter
from .models import ErrorBody, ProcedureList, ProcedureSummary, UnitPage

MAX_PAGE = 500
_ERRORS: dict[int | str, dict[str, object]] = {
    404: {"model": ErrorBody, "description": "Unknown procedure, version or unit."},
    422: {"model": ErrorBody, "description": "Malformed query parameter."},
}


def _int_param(name: str, raw: str | None, *, low: int, high: int, default: int | None = None) -> int | None:
    """Query parameters are parsed here rather than by FastAPI so that a bad value is named in
    the platform's message, in Vietnamese."""
    if raw is None or raw == "":
        return default
    value = int(raw) if raw.strip().lstrip("-").isdigit() else None
    if value is None or not low <= value <= high:
        raise invalid_parameter(f"Tham số «{name}» phải là số nguyên từ {low} đến {high}.")
    return value


def _unit_level(raw: str | None) -> UnitLevel | None:
    if raw is None:
        return None
    try:
        return UnitLevel(raw)
    except ValueError:
        raise invalid_parameter("Tham số «level» phải là một trong: ministry, province, commune.") from None


def _province_code(raw: str | None) -> str | None:
    if raw is None:
        return None
    code = normalise_division_code(raw, 2)
    if code is None:
        raise invalid_parameter("Tham số «province» phải là mã tỉnh gồm 2 chữ số.")
    return code


def build_router(catalog: Catalog | Callable[[], Catalog], *, clock: Clock | None = None) -> APIRouter:
    """The `/v1/procedures` and `/v1/units` routes over `catalog`, or over the catalog a
    callable returns at each request (the service swaps in a revision while it runs).

    "Current" means in force today in Vietnam, read from `clock` (the kernel's injectable clock).
    """
    clock = clock or SystemClock()
    current: Callable[[], Catalog] = catalog if callable(catalog) else (lambda: catalog)
    router = APIRouter(prefix="/v1", tags=["catalog"])

    def today() -> date:
        return clock.now().astimezone(VIETNAM).date()

    _procedures(router, current, today)
    _units(router, current)
    return router


def _procedures(router: APIRouter, current: Callable[[], Catalog], today: Callable[[], date]) -> None:
    @router.get("/procedures", response_model=ProcedureList, responses=_ERRORS)
    def list_procedures(
        field: str | None = None, level: str | None = None, q: str | None = None
    ) -> ProcedureList:
        level_value = _int_param("level", level, low=1, high=4)
        if field is not None and field not in current().fields:
            known = ", ".join(current().fields)
            message = f"Lĩnh vực «{field}» không tồn tại. Các lĩnh vực: {known}."
            raise Refusal("unknown_field", message, Kind.INVALID)
        found = current().search(at=today(), q=q, field=field, level=level_value)
        return ProcedureList(total=len(found), items=[ProcedureSummary.of(v) for v in found])

    @router.get("/procedures/{code}", response_model=ProcedureVersionPublished, responses=_ERRORS)
    def get_procedure(code: str, version: str | None = None) -> ProcedureVersionPublished:
        number = _int_param("version", version, low=1, high=10_000)
        found = current().version(code, at=today() if number is None else None, number=number)
        return procedure_version_published(found)

    @router.get("/procedures/{code}/competent-unit", response_model=UnitPublished, responses=_ERRORS)
    def competent_unit(code: str, ward: str | None = None) -> UnitPublished:
        """The police unit that decides `code` for an address in `ward` (ward code)."""
        if not ward:
            raise invalid_parameter("Cần cung cấp mã xã, phường, đặc khu (tham số «ward»).")
        return unit_published(current().competent_unit(code, ward, at=today()))


def _units(router: APIRouter, current: Callable[[], Catalog]) -> None:
    @router.get("/units", response_model=UnitPage, responses=_ERRORS)
    def list_units(
        level: str | None = None,
        province: str | None = None,
        q: str | None = None,
        limit: str | None = None,
        offset: str | None = None,
    ) -> UnitPage:
        page = _int_param("limit", limit, low=1, high=MAX_PAGE, default=50)
        start = _int_param("offset", offset, low=0, high=1_000_000, default=0)
        level_value = _unit_level(level)
        province_code = _province_code(province)
        assert page is not None and start is not None
        found = current().units.find(level=level_value, province_code=province_code, q=q)
        return UnitPage(
            total=len(found),
            limit=page,
            offset=start,
            items=[unit_published(u) for u in found[start : start + page]],
        )

    @router.get("/units/{code}", response_model=UnitPublished, responses=_ERRORS)
    def get_unit(code: str) -> UnitPublished:
        return unit_published(current().units.get(code))
