"""HTTP: what officers do with a dossier of their unit. Each action is one event."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Request, Response
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from dvc_kernel import consistency
from dvc_kernel.auth.fastapi import require_roles
from dvc_kernel.auth.principal import Principal, Role
from dvc_kernel.errors import Unprocessable
from dvc_kernel.meta import CommandMeta, command_meta

from ..application import ProcessingApplication
from ..audit.access import record_view
from ..domain.case import Case
from ..reasons import reasons, supplement_round_reasons
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


@dataclass(frozen=True)
class Act:
    """One officer acting on one dossier: who, on which version (If-Match), answering how."""

    code: str
    by: Principal
    meta: CommandMeta
    expected: int | None
    response: Response


def acting(
    code: str, principal: Staff, request: Request, response: Response, if_match: IfMatch = None
) -> Act:
    return Act(code, principal, _meta(request, principal), _version(if_match), response)


Acting = Annotated[Act, Depends(acting)]


def router(app: ProcessingApplication) -> APIRouter:
    api = APIRouter(prefix="/v1", tags=["officer actions"])

    def answer(act: Act, acted: tuple[Case, int]) -> CaseView:
        """The whole dossier after the action (a staff read like GET: recorded), its version
        (ETag) and the position it was written at (consistency token)."""
        case, position = acted
        record_view(app, act.by, case, None)
        act.response.headers["ETag"] = f'"{case.version}"'
        act.response.headers[consistency.HEADER] = consistency.log_token("processing", position)
        return case_view(app, case)

    @api.post("/dossiers/{code}/assign", response_model=CaseView, summary="Assign to an officer")
    def assign(body: AssignBody, act: Acting) -> CaseView:
        return answer(act, app.assign(act.code, act.by, act.meta, act.expected, body.officer_id))

    @api.post("/dossiers/{code}/accept", response_model=CaseView, summary="Accept a complete, valid dossier")
    def accept(act: Acting) -> CaseView:
        return answer(act, app.accept(act.code, act.by, act.meta, act.expected))

    @api.post(
        "/dossiers/{code}/supplement-requests",
        response_model=CaseView,
        summary="Ask for everything missing, in one go",
    )
    def request_supplement(body: SupplementBody, act: Acting) -> CaseView:
        items = [item.model_dump() for item in body.items]
        return answer(
            act, app.request_supplement(act.code, act.by, act.meta, act.expected, items, body.round_reason)
        )

    @api.post(
        "/dossiers/{code}/rejection",
        response_model=CaseView,
        summary="Refuse at reception, with a listed reason and its legal basis",
    )
    def reject(body: ReasonBody, act: Acting) -> CaseView:
        rejected = app.reject(
            act.code, act.by, act.meta, act.expected, body.reason_code, body.legal_basis, body.explanation
        )
        return answer(act, rejected)

    @api.post("/dossiers/{code}/decision", response_model=CaseView, summary="Approve or refuse")
    def decide(body: DecisionBody, act: Acting) -> CaseView:
        decided = app.decide(
            act.code,
            act.by,
            act.meta,
            act.expected,
            body.outcome,
            summary=body.summary,
            reason_code=body.reason_code,
            legal_basis=body.legal_basis,
            explanation=body.explanation,
        )
        return answer(act, decided)

    @api.post("/dossiers/{code}/result", response_model=CaseView, summary="Issue the result")
    def issue_result(body: ResultBody, act: Acting) -> CaseView:
        issued = app.issue_result(act.code, act.by, act.meta, act.expected, body.result_form, body.summary)
        return answer(act, issued)

    @api.post("/dossiers/{code}/transfer", response_model=CaseView, summary="Transfer to the competent unit")
    def transfer(body: TransferBody, act: Acting) -> CaseView:
        return answer(act, app.transfer(act.code, act.by, act.meta, act.expected, body.to_unit, body.reason))

    @api.post(
        "/dossiers/{code}/apology",
        response_model=CaseView,
        summary="Apologise for a late result with a new appointment (Mẫu 04)",
    )
    def apologise(body: ApologyBody, act: Acting) -> CaseView:
        return answer(
            act, app.apologise(act.code, act.by, act.meta, act.expected, body.reason, body.new_due_at)
        )

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


def _meta(request: Request, principal: Principal) -> CommandMeta:
    """Who acts; the unit they act for is the dossier's when it is one of theirs (`act_at`)."""
    return command_meta(request, actor_id=principal.subject, actor_role=principal.role.value)
