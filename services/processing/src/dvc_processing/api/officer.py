"""HTTP: what officers do with a dossier of their unit. Each action is one event."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import uuid4

from fastapi import APIRouter, Depends, Header, Request, Response
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from dvc_contracts.envelope import utc
from dvc_kernel import consistency
from dvc_kernel.auth.fastapi import require_roles
from dvc_kernel.auth.principal import Principal, Role
from dvc_kernel.errors import Unprocessable
from dvc_kernel.meta import command_meta

from ..application import ProcessingApplication
from ..audit.access import record_view
from ..domain.case import Case
from ..domain.reasons import reasons, supplement_round_reasons
from .views import CaseView, case_view

Staff = Annotated[Principal, Depends(require_roles(Role.OFFICER, Role.SUPERVISOR))]
IfMatch = Annotated[str | None, Header(description="The case version (ETag) you acted on.")]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AssignBody(Body):
    officer_id: str = Field(min_length=1, description="Account id of an officer of the unit.")


class SupplementItemBody(Body):
    document_code: str | None = Field(None, description="Required document concerned, e.g. CT01.")
    description: str = Field(min_length=3, description="What is missing or wrong (Vietnamese).")


class SupplementBody(Body):
    items: list[SupplementItemBody] = Field(min_length=1, description="Everything needed, in one go.")
    round_reason: str | None = Field(
        None, description="Required from the second request on: a code from GET /v1/supplement-round-reasons."
    )


LEGAL_BASIS = (
    "Optional: the listed reason's legal basis, which is recorded when omitted; it may only be "
    "made more precise after a comma (e.g. `…, Điều 20, khoản 1`), never replaced by free text."
)


class ReasonBody(Body):
    reason_code: str = Field(min_length=1, description="From GET /v1/reasons.")
    legal_basis: str | None = Field(None, description=LEGAL_BASIS)
    explanation: str = Field(min_length=3, description="For the citizen, in Vietnamese.")


class DecisionBody(Body):
    outcome: Literal["approved", "refused"]
    summary: str | None = Field(None, description="What is granted (approval).")
    reason_code: str | None = None
    legal_basis: str | None = Field(None, description=LEGAL_BASIS)
    explanation: str | None = None


class ResultBody(Body):
    result_form: str = Field(min_length=2, description="Form of the result, e.g. CT08.")
    summary: str = Field(min_length=3, description="What the result says, in Vietnamese.")


class TransferBody(Body):
    to_unit: str = Field(min_length=3, description="Competent unit code.")
    reason: str = Field(min_length=3, description="Why it is transferred.")


class ApologyBody(Body):
    reason: str = Field(min_length=3, description="Why the result is late.")
    new_due_at: AwareDatetime = Field(description="The new appointment, with its offset.")


Action = Callable[[Case, datetime, dict[str, Any]], None]


@dataclass(frozen=True)
class Act:
    """One officer acting on one dossier: who, on which version (If-Match), answering how."""

    code: str
    principal: Principal
    request: Request
    response: Response
    if_match: str | None


async def acting(
    code: str, principal: Staff, request: Request, response: Response, if_match: IfMatch = None
) -> Act:
    return Act(code, principal, request, response, if_match)


Acting = Annotated[Act, Depends(acting)]


def router(app: ProcessingApplication, on_saved: Callable[[], None]) -> APIRouter:
    api = APIRouter(prefix="/v1", tags=["officer actions"])

    async def run(act: Act, action: Action) -> CaseView:
        meta = command_meta(
            act.request,
            actor_id=act.principal.subject,
            actor_role=act.principal.role.value,
            actor_unit=_acting_unit(app, act.code, act.principal),
        )
        expected = _version(act.if_match)
        case, position = await asyncio.to_thread(app.act_at, act.code, act.principal, meta, action, expected)
        on_saved()
        # The answer is the whole dossier, personal data included: a staff read like GET is.
        await asyncio.to_thread(record_view, app, act.principal, case, None)
        act.response.headers["ETag"] = f'"{case.version}"'
        act.response.headers[consistency.HEADER] = consistency.log_token("processing", position)
        return await asyncio.to_thread(case_view, app, case)

    @api.post("/dossiers/{code}/assign", response_model=CaseView, summary="Assign to an officer")
    async def assign(body: AssignBody, act: Acting) -> CaseView:
        return await run(act, lambda c, at, meta: c.assign(body.officer_id, at, meta))

    @api.post("/dossiers/{code}/accept", response_model=CaseView, summary="Accept a complete, valid dossier")
    async def accept(act: Acting) -> CaseView:
        return await run(act, lambda c, at, meta: c.accept(at, meta))

    @api.post(
        "/dossiers/{code}/supplement-requests",
        response_model=CaseView,
        summary="Ask for everything missing, in one go",
    )
    async def request_supplement(body: SupplementBody, act: Acting) -> CaseView:
        items = [item.model_dump() for item in body.items]
        if body.round_reason is not None and body.round_reason not in supplement_round_reasons():
            raise Unprocessable(
                "unknown_round_reason",
                "Lý do yêu cầu bổ sung lần tiếp theo không có trong danh mục.",
                known=sorted(supplement_round_reasons()),
            )
        return await run(
            act, lambda c, at, meta: c.request_supplement(uuid4(), items, at, meta, body.round_reason)
        )

    @api.post(
        "/dossiers/{code}/rejection",
        response_model=CaseView,
        summary="Refuse at reception, with a listed reason and its legal basis",
    )
    async def reject(body: ReasonBody, act: Acting) -> CaseView:
        basis = app.legal_basis_of(body.reason_code, body.legal_basis)
        return await run(
            act, lambda c, at, meta: c.reject(body.reason_code, basis, body.explanation, at, meta)
        )

    @api.post("/dossiers/{code}/decision", response_model=CaseView, summary="Approve or refuse")
    async def decide(body: DecisionBody, act: Acting) -> CaseView:
        if body.outcome == "approved":
            if not body.summary:
                raise Unprocessable("summary_required", "Phải ghi nội dung được phê duyệt.")
            summary = body.summary
            return await run(act, lambda c, at, meta: c.approve(summary, at, meta))
        missing = [n for n in ("reason_code", "explanation") if not getattr(body, n)]
        if missing:
            raise Unprocessable(
                "reason_required",
                "Không giải quyết phải nêu lý do cụ thể và căn cứ pháp lý; còn thiếu: "
                + ", ".join(missing)
                + ".",
            )
        basis = app.legal_basis_of(body.reason_code or "", body.legal_basis)
        return await run(
            act,
            lambda c, at, meta: c.refuse(body.reason_code or "", basis, body.explanation or "", at, meta),
        )

    @api.post("/dossiers/{code}/result", response_model=CaseView, summary="Issue the result")
    async def issue_result(body: ResultBody, act: Acting) -> CaseView:
        return await run(act, lambda c, at, meta: c.issue_result(body.result_form, body.summary, at, meta))

    @api.post("/dossiers/{code}/transfer", response_model=CaseView, summary="Transfer to the competent unit")
    async def transfer(body: TransferBody, act: Acting) -> CaseView:
        if body.to_unit not in app.catalog.units:
            raise Unprocessable("unknown_unit", f"Không có đơn vị mã «{body.to_unit}».")
        return await run(act, lambda c, at, meta: c.transfer(body.to_unit, body.reason, at, meta))

    @api.post(
        "/dossiers/{code}/apology",
        response_model=CaseView,
        summary="Apologise for a late result with a new appointment (Mẫu 04)",
    )
    async def apologise(body: ApologyBody, act: Acting) -> CaseView:
        def action(c: Case, at: datetime, meta: dict[str, Any]) -> None:
            new_due_at = utc(body.new_due_at)
            letter = app.apology_letter(c, body.reason, new_due_at)
            c.apologise(body.reason, new_due_at, letter, at, meta)

        return await run(act, action)

    @api.get("/supplement-round-reasons", summary="Why a dossier may be asked for a supplement again")
    async def list_round_reasons() -> list[dict[str, str]]:
        return [{"code": code, "label": label} for code, label in supplement_round_reasons().items()]

    @api.get("/reasons", summary="The maintained list of refusal reasons")
    async def list_reasons() -> list[dict[str, str]]:
        return [{"code": r.code, "label": r.label, "legal_basis": r.legal_basis} for r in reasons().values()]

    return api


def _version(if_match: str | None) -> int | None:
    if if_match is None:
        return None
    try:
        return int(if_match.strip().strip('"').removeprefix("W/").strip('"'))
    except ValueError:
        raise Unprocessable(
            "invalid_if_match", "Tiêu đề If-Match phải là phiên bản (ETag) của hồ sơ."
        ) from None


def _acting_unit(app: ProcessingApplication, code: str, principal: Principal) -> str | None:
    """The unit the officer acts for: the dossier's, when it is one of theirs."""
    case = app.case_by_code(code)
    if case is not None and case.unit_code in principal.units:
        return case.unit_code
    return next(iter(sorted(principal.units)), None)
