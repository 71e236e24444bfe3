"""HTTP: the officers' queue and the on-time dashboard, read from the board (a projection)
once it has applied the write a consistency token names."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from dvc_kernel import consistency
from dvc_kernel.auth.principal import Role

from ..application import ProcessingApplication
from ..projections.board import Board
from ..projections.dossier_view import DashboardRow, QueueRow
from .deps import StaffReader as Staff
from .deps import TokenHeader


def router(app: ProcessingApplication, board: Board) -> APIRouter:
    """Included by `tracking.router`, under its `/v1`."""
    api = APIRouter()  # tagged "tracking" by the router including it

    async def board_shows(token: consistency.Token) -> bool:
        """The officers' board has applied the write `token` names."""
        if token.subject is not None:
            if not await consistency.visible(lambda: app.shows(token)):
                return False
            target = app.recorder.max_notification_id() or 0
        elif token.producer == "processing":
            target = token.position
        else:
            return True  # another service's log position: not something the board can judge
        return await consistency.visible(lambda: board.position >= target)

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
                procedure_name=app.procedure_name(d.procedure_code, d.procedure_version),
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
            units = app.units_under(principal.units)
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
