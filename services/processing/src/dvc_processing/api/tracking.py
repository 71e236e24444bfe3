"""HTTP: following a dossier (owner, staff of its unit, auditors), queues and the dashboard."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from dvc_kernel.auth.access import DossierScope, can_read_dossier
from dvc_kernel.auth.fastapi import CurrentPrincipal, require_roles
from dvc_kernel.auth.principal import Principal, Role
from dvc_kernel.bounds import within
from dvc_kernel.errors import NotFound, Unprocessable

from ..application import ProcessingApplication
from ..audit.access import record_view
from ..board import Board
from ..domain.case import STATUS_LABELS, Status
from .views import CaseView, DashboardRow, NotYetFiled, PublicStatus, QueueRow, case_view

NOT_FOUND = ("dossier_not_found", "Không tìm thấy hồ sơ có mã này.")
Staff = Annotated[Principal, Depends(require_roles(Role.OFFICER, Role.SUPERVISOR, Role.AUDITOR))]
STAFF_READERS = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.AUDITOR})
Overseer = Annotated[Principal, Depends(require_roles(Role.SUPERVISOR, Role.AUDITOR))]


def router(app: ProcessingApplication, board: Board) -> APIRouter:
    api = APIRouter(prefix="/v1", tags=["tracking"])

    @api.get("/dossiers/{code}", response_model=CaseView, summary="A dossier with its full timeline")
    async def track(
        code: str,
        principal: CurrentPrincipal,
        response: Response,
        as_of: Annotated[datetime | None, Query(description="State as it stood at this instant")] = None,
    ) -> CaseView:
        if as_of is not None and as_of.tzinfo is None:
            raise Unprocessable("timestamp_without_offset", "Tham số «as_of» phải ghi rõ múi giờ.")
        if as_of is not None:
            within("as_of", as_of)
        case = await asyncio.to_thread(app.case_by_code, code)
        # Someone else's dossier is "not found", so codes cannot be probed.
        if case is None or not can_read_dossier(principal, DossierScope(case.owner_account, case.unit_code)):
            raise NotFound(*NOT_FOUND)
        try:
            view = await asyncio.to_thread(case_view, app, case, as_of)
        except NotYetFiled:
            raise NotFound(*NOT_FOUND) from None  # there was no such dossier at that instant
        if principal.role in STAFF_READERS:  # recorded before the data leaves (issue 7)
            await asyncio.to_thread(record_view, app, principal, case, as_of)
        response.headers["ETag"] = f'"{case.version}"'
        return view

    @api.get("/public/dossiers/{code}", summary="Status only, for anyone holding the code and ID digits")
    async def public_status(code: str, id_last_digits: str = Query(pattern=r"^\d{4}$")) -> PublicStatus:
        case = await asyncio.to_thread(app.case_by_code, code)
        if case is None:
            raise NotFound(*NOT_FOUND)
        applicant = await asyncio.to_thread(app.applicant, case)
        if not str(applicant.get("id_number", "")).endswith(id_last_digits):
            raise NotFound(*NOT_FOUND)
        return PublicStatus(
            dossier_code=case.dossier_code,
            status=case.status.value,
            status_label=STATUS_LABELS[case.status],
            due_at=case.due_at if case.status in {Status.RECEIVED, Status.ACCEPTED} else None,
        )

    @api.get("/queue", summary="The officer's queue: open dossiers of their units by due date")
    async def queue(
        principal: Staff, status: str | None = None, procedure: str | None = None, unit: str | None = None
    ) -> list[QueueRow]:
        units = principal.units if unit is None else principal.units & {unit}
        if principal.role is Role.AUDITOR:
            units = (
                frozenset({unit}) if unit else frozenset(d.unit_code or "" for d in board.dossiers.values())
            )
        return [
            QueueRow(
                dossier_code=d.dossier_code,
                status=d.status,
                procedure_code=d.procedure_code,
                unit_code=d.unit_code,
                officer_id=d.officer_id,
                due_at=d.due_at,
                overdue=d.overdue,
                received_at=d.received_at,
            )
            for d in board.queue(units, status=status, procedure=procedure)
        ]

    @api.get("/dashboard", summary="On-time rate per unit and procedure")
    async def dashboard(principal: Overseer) -> list[DashboardRow]:
        units = None if principal.role is Role.AUDITOR else app_units_under(app, principal.units)
        now = app.clock.now()
        return [
            DashboardRow(
                unit_code=r.unit_code,
                procedure_code=r.procedure_code,
                decided=r.decided,
                on_time=r.on_time,
                on_time_rate=r.on_time_rate,
                open=r.open,
                overdue=r.overdue,
            )
            for r in board.rates(units, now)
        ]

    return api


def app_units_under(app: ProcessingApplication, units: frozenset[str]) -> set[str]:
    """A supervisor's units and every unit under them (the catalog's unit tree)."""
    found = set(units)
    for code, unit in app.catalog.units.items():
        if unit.parent_code in units:
            found.add(code)
    return found
