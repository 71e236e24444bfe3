"""HTTP: the officers' queue and the on-time dashboard, read from the board (a projection)
once it has applied the write a consistency token names."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query

from dvc_contracts.timeline import DossierState
from dvc_kernel import consistency
from dvc_kernel.attribute_views import view_of
from dvc_kernel.auth.principal import Role

from ..application import ProcessingApplication
from ..projections.board import Board
from ..projections.dossier_view import DashboardRow, QueueRow
from .deps import StaffReader as Staff
from .deps import TokenHeader, TokenQuery

# The answer "not yet" while the board lags behind the consistency token sent (header or
# query parameter), else None.
Lag = Callable[[str | None, str | None], Awaitable[Any]]


def router(app: ProcessingApplication, board: Board) -> APIRouter:
    """Included by `tracking.router`, under its `/v1`."""
    api = APIRouter()  # tagged "tracking" by the router including it
    lag = _lag(app, board)
    _queue(api, app, board, lag)
    _dashboard(api, app, board, lag)
    return api


def _lag(app: ProcessingApplication, board: Board) -> Lag:
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

    async def board_lags(header: str | None, query: str | None) -> Any:
        token = consistency.parse(header, query)
        if token is not None and not await board_shows(token):
            return consistency.not_yet_visible(token)
        return None

    return board_lags


def _queue(api: APIRouter, app: ProcessingApplication, board: Board, lag: Lag) -> None:
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
        consistency_token: TokenQuery = None,
    ) -> Any:
        if (not_yet := await lag(token_header, consistency_token)) is not None:
            return not_yet
        units = principal.units if unit is None else principal.units & {unit}
        if principal.role is Role.AUDITOR:
            units = (
                frozenset({unit}) if unit else frozenset(d.unit_code or "" for d in board.dossiers.values())
            )
        found = board.queue(units, status=status, procedure=procedure, min_rounds=min_rounds)
        return [_row(app, board, d) for d in found]


def _dashboard(api: APIRouter, app: ProcessingApplication, board: Board, lag: Lag) -> None:
    @api.get(
        "/dashboard",
        response_model=list[DashboardRow],
        summary="On-time rate per unit and procedure: an officer's own units, a supervisor's and "
        "every unit under them, every unit for auditors",
    )
    async def dashboard(
        principal: Staff,
        token_header: TokenHeader = None,
        consistency_token: TokenQuery = None,
    ) -> Any:
        if (not_yet := await lag(token_header, consistency_token)) is not None:
            return not_yet
        rates = board.rates(app.units_overseen(principal), app.clock.now())
        return [view_of(DashboardRow, r) for r in rates]


def _row(app: ProcessingApplication, board: Board, d: DossierState) -> QueueRow:
    return view_of(
        QueueRow,
        d,
        procedure_name=app.procedure_name(d.procedure_code, d.procedure_version),
        applicant_name=board.applicant_names.get(d.dossier_id),
        supplement_rounds=board.supplement_rounds.get(d.dossier_id, 0),
    )
