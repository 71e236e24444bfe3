"""HTTP: following a dossier (owner, staff of its unit, auditors), queues and the dashboard."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Response

from dvc_kernel import consistency
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


TokenHeader = Annotated[
    str | None, Header(alias=consistency.HEADER, description="From a command's answer: wait until it shows")
]
TokenParam = Annotated[
    str | None, Query(description="The consistency token, when a header cannot be set (a redirect)")
]


def router(app: ProcessingApplication, board: Board) -> APIRouter:
    api = APIRouter(prefix="/v1", tags=["tracking"])

    def case_shows(token: consistency.Token, code: str | None = None) -> bool:
        """The store has the write `token` names (processing's own writes are there already)."""
        if token.subject is None:
            return True
        if code is not None:
            case = app.case_by_code(code)
            if case is not None and case.id != token.subject:
                return True  # the token is about another dossier: nothing to wait for
        return app.case(token.subject) is not None and app.has_applied(
            token.subject, token.producer, token.position
        )

    async def board_shows(token: consistency.Token) -> bool:
        """The officers' board has applied the write `token` names."""
        if token.subject is not None:
            if not await consistency.visible(lambda: case_shows(token)):
                return False
            target = app.recorder.max_notification_id() or 0
        elif token.producer == "processing":
            target = token.position
        else:
            return True  # another service's log position: not something the board can judge
        return await consistency.visible(lambda: board.position >= target)

    @api.get("/dossiers/{code}", response_model=CaseView, summary="A dossier with its full timeline")
    async def track(
        code: str,
        principal: CurrentPrincipal,
        response: Response,
        as_of: Annotated[datetime | None, Query(description="State as it stood at this instant")] = None,
        token_header: TokenHeader = None,
        consistency_token: Annotated[str | None, Query(alias="consistency")] = None,
    ) -> Any:
        if as_of is not None and as_of.tzinfo is None:
            raise Unprocessable("timestamp_without_offset", "Tham số «as_of» phải ghi rõ múi giờ.")
        token = consistency.parse(token_header, consistency_token)
        if token is not None and not await consistency.visible(lambda: case_shows(token, code)):
            return consistency.not_yet_visible(token)
        if as_of is not None:
            within("as_of", as_of)
        case = await asyncio.to_thread(app.case_by_code, code)
        # Someone else's dossier is "not found", so codes cannot be probed.
        if case is None or not can_read_dossier(principal, DossierScope(case.owner_account, case.unit_code)):
            raise NotFound(*NOT_FOUND)
        try:
            view = await asyncio.to_thread(case_view, app, case, as_of, board.complaint_ids_of(case.id))
        except NotYetFiled:
            raise NotFound(*NOT_FOUND) from None  # there was no such dossier at that instant
        if principal.role in STAFF_READERS:  # recorded before the data leaves (issue 7)
            await asyncio.to_thread(record_view, app, principal, case, as_of)
        response.headers["ETag"] = f'"{case.version}"'
        return view

    @api.get("/public/dossiers/{code}", summary="Status only, for anyone holding the code and ID digits")
    def public_status(code: str, id_last_digits: str = Query(pattern=r"^\d{4}$")) -> PublicStatus:
        # One answer for an unknown code, wrong digits and a locked code: none tells anything.
        case = app.case_by_code(code)
        if case is None or app.lookup_locked(case.dossier_code):
            raise NotFound(*NOT_FOUND)
        applicant = app.applicant(case)
        if not str(applicant.get("id_number", "")).endswith(id_last_digits):
            app.note_wrong_digits(case.dossier_code)
            raise NotFound(*NOT_FOUND)
        return PublicStatus(
            dossier_code=case.dossier_code,
            status=case.status.value,
            status_label=STATUS_LABELS[case.status],
            due_at=case.due_at if case.status in {Status.RECEIVED, Status.ACCEPTED} else None,
        )

    @api.get(
        "/queue",
        response_model=list[QueueRow],
        summary="The officer's queue: open dossiers of their units by due date",
    )
    async def queue(
        principal: Staff,
        status: str | None = None,
        procedure: str | None = None,
        unit: str | None = None,
        min_rounds: Annotated[
            int, Query(ge=0, le=100, description="Only dossiers asked for a supplement at least this often")
        ] = 0,
        token_header: TokenHeader = None,
        consistency_token: Annotated[str | None, Query(alias="consistency")] = None,
    ) -> Any:
        token = consistency.parse(token_header, consistency_token)
        if token is not None and not await board_shows(token):
            return consistency.not_yet_visible(token)
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
                procedure_name=_procedure_name(app, d.procedure_code, d.procedure_version),
                applicant_name=board.applicant_names.get(d.dossier_id),
                supplement_rounds=board.supplement_rounds.get(d.dossier_id, 0),
                unit_code=d.unit_code,
                officer_id=d.officer_id,
                due_at=d.due_at,
                overdue=d.overdue,
                received_at=d.received_at,
            )
            for d in board.queue(units, status=status, procedure=procedure, min_rounds=min_rounds)
        ]

    @api.get(
        "/dashboard",
        response_model=list[DashboardRow],
        summary="On-time rate per unit and procedure: an officer's own units, a supervisor's and "
        "every unit under them, every unit for auditors",
    )
    async def dashboard(
        principal: Staff,
        token_header: TokenHeader = None,
        consistency_token: Annotated[str | None, Query(alias="consistency")] = None,
    ) -> Any:
        token = consistency.parse(token_header, consistency_token)
        if token is not None and not await board_shows(token):
            return consistency.not_yet_visible(token)
        if principal.role is Role.AUDITOR:
            units = None
        elif principal.role is Role.SUPERVISOR:
            units = app_units_under(app, principal.units)
        else:
            units = set(principal.units)
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
                several_supplement_rounds=r.several_supplement_rounds,
            )
            for r in board.rates(units, now)
        ]

    return api


def app_units_under(app: ProcessingApplication, units: frozenset[str]) -> set[str]:
    """A supervisor's units and every unit under them, at any depth (the catalog's unit tree:
    a department of the Ministry over provinces over communes)."""
    children: dict[str, list[str]] = defaultdict(list)
    for code, unit in app.catalog.units.items():
        if unit.parent_code is not None:
            children[unit.parent_code].append(code)
    found, todo = set(units), list(units)
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _procedure_name(app: ProcessingApplication, code: str | None, version: int | None) -> str | None:
    published = app.catalog.version(code, version) if code and version else None
    return published.name if published else None
