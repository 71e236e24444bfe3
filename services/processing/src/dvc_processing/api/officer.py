"""HTTP: what officers do with a dossier of their unit. Each action is one event."""

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Response

from dvc_contracts.envelope import utc
from dvc_kernel import consistency

from ..application import ProcessingApplication
from ..application.officer import Acted, Acting
from ..domain.payloads import SupplementItem
from ..domain.reasons import reasons, supplement_round_reasons
from ..projections.dossier_view import CaseView
from .deps import acting_on
from .models import (
    ApologyBody,
    AssignBody,
    DecisionBody,
    ReasonBody,
    ResultBody,
    SupplementBody,
    TransferBody,
)

# The answer to an officer's action: the case as they may see it, its version and the token
# of the write.
Answer = Callable[[Acted, Acting, Response], Awaitable[CaseView]]


def router(app: ProcessingApplication) -> APIRouter:
    api = APIRouter(prefix="/v1", tags=["officer actions"])
    answer = _answer(app)
    _receiving(api, app, answer)
    _deciding(api, app, answer)
    _reasons(api)
    return api


def _answer(app: ProcessingApplication) -> Answer:
    async def answer(acted: Acted, acting: Acting, response: Response) -> CaseView:
        view = await app.staff_answer(acting.principal, acted.case)
        response.headers["ETag"] = f'"{acted.case.version}"'
        response.headers[consistency.HEADER] = consistency.log_token("processing", acted.position)
        return view

    return answer


def _receiving(api: APIRouter, app: ProcessingApplication, answer: Answer) -> None:
    """Assigning a received dossier, then accepting it, asking for a supplement or refusing it."""
    # Evaluated here (this module does not postpone annotations): the dependency knows `app`.
    On = Annotated[Acting, Depends(acting_on(app))]

    @api.post("/dossiers/{code}/assign", response_model=CaseView, summary="Assign to an officer")
    async def assign(body: AssignBody, acting: On, response: Response) -> CaseView:
        return await answer(await app.assign(acting, body.officer_id), acting, response)

    @api.post("/dossiers/{code}/accept", response_model=CaseView, summary="Accept a complete, valid dossier")
    async def accept(acting: On, response: Response) -> CaseView:
        return await answer(await app.accept(acting), acting, response)

    @api.post(
        "/dossiers/{code}/supplement-requests",
        response_model=CaseView,
        summary="Ask for everything missing, in one go",
    )
    async def request_supplement(body: SupplementBody, acting: On, response: Response) -> CaseView:
        items = [SupplementItem(document_code=i.document_code, description=i.description) for i in body.items]
        return await answer(await app.request_supplement(acting, items, body.round_reason), acting, response)

    @api.post(
        "/dossiers/{code}/rejection",
        response_model=CaseView,
        summary="Refuse at reception, with a listed reason and its legal basis",
    )
    async def reject(body: ReasonBody, acting: On, response: Response) -> CaseView:
        acted = await app.reject(acting, body.reason_code, body.legal_basis, body.explanation)
        return await answer(acted, acting, response)


def _deciding(api: APIRouter, app: ProcessingApplication, answer: Answer) -> None:
    """Deciding an accepted dossier, issuing its result, or sending it on; apologising when late."""
    On = Annotated[Acting, Depends(acting_on(app))]

    @api.post("/dossiers/{code}/decision", response_model=CaseView, summary="Approve or refuse")
    async def decide(body: DecisionBody, acting: On, response: Response) -> CaseView:
        if body.outcome == "approved":
            return await answer(await app.approve(acting, body.summary), acting, response)
        acted = await app.refuse(acting, body.reason_code, body.legal_basis, body.explanation)
        return await answer(acted, acting, response)

    @api.post("/dossiers/{code}/result", response_model=CaseView, summary="Issue the result")
    async def issue_result(body: ResultBody, acting: On, response: Response) -> CaseView:
        return await answer(await app.issue_result(acting, body.result_form, body.summary), acting, response)

    @api.post("/dossiers/{code}/transfer", response_model=CaseView, summary="Transfer to the competent unit")
    async def transfer(body: TransferBody, acting: On, response: Response) -> CaseView:
        return await answer(await app.transfer(acting, body.to_unit, body.reason), acting, response)

    @api.post(
        "/dossiers/{code}/apology",
        response_model=CaseView,
        summary="Apologise for a late result with a new appointment (Mẫu 04)",
    )
    async def apologise(body: ApologyBody, acting: On, response: Response) -> CaseView:
        acted = await app.apologise(acting, body.reason, utc(body.new_due_at))
        return await answer(acted, acting, response)


def _reasons(api: APIRouter) -> None:
    """The lists an officer picks a reason from."""

    @api.get("/supplement-round-reasons", summary="Why a dossier may be asked for a supplement again")
    async def list_round_reasons() -> list[dict[str, str]]:
        return [{"code": code, "label": label} for code, label in supplement_round_reasons().items()]

    @api.get("/reasons", summary="The maintained list of refusal reasons")
    async def list_reasons() -> list[dict[str, str]]:
        return [{"code": r.code, "label": r.label, "legal_basis": r.legal_basis} for r in reasons().values()]
