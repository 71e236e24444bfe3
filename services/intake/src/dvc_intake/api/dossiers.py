"""HTTP: file a dossier in one go, follow my dossiers, answer a supplement request, withdraw."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from dvc_kernel.errors import json_response

from ..adapters.registry import verdict_of
from ..application import IntakeApplication
from ..application.filing import Prepared, Submission
from ..domain.dossier_code import InvalidDossierCode, normalise
from ..domain.refusal import Refused
from .deps import Applicant, IdempotencyKey, created_or_repeated, meta_for, read_your_write
from .models import DossierOut, SubmitDossier, SupplementIn, WithdrawIn


def canonical(code: str) -> str:
    try:
        return normalise(code)
    except InvalidDossierCode:
        raise Refused(
            "dossier_code_invalid", "Mã hồ sơ không đúng. Vui lòng kiểm tra lại.", "not_found"
        ) from None


def router(app: IntakeApplication) -> APIRouter:
    api = APIRouter(prefix="/v1/dossiers", tags=["dossiers"])
    _filing(api, app)
    _following(api, app)
    _answering(api, app)
    return api


def _filing(api: APIRouter, app: IntakeApplication) -> None:
    @api.post(
        "",
        status_code=201,
        response_model=DossierOut,
        summary="File a dossier in one go (same checks as submitting a draft); returns its code",
    )
    async def submit(
        body: SubmitDossier,
        principal: Applicant,
        request: Request,
        idempotency_key: IdempotencyKey,
    ) -> Response:
        submission = Submission(
            procedure_code=body.procedure_code,
            applicant=body.applicant.data(),
            delivery_mode=body.delivery_mode,
            ward_code=body.ward_code,
            form_data=body.form_data,
            attachments=[a.ref() for a in body.attachments],
        )
        meta = meta_for(request, principal)
        # Checked, then the registry asked (unless the token's stamp answers for it) without
        # holding the event loop or a worker thread, then filed.
        prepared = await app.prepare_submission(submission, principal.subject, idempotency_key)
        if isinstance(prepared, Prepared):
            stamp = principal.registry_stamp
            verdict = await verdict_of(app.registry, prepared.person, stamp=stamp, secret=app.service_secret)
            dossier, created = await app.file_submission(prepared, verdict, meta)
        else:
            dossier, created = prepared
        headers = {"Location": f"/v1/dossiers/{dossier.code}"}
        if created:
            headers.update(read_your_write(dossier))
        return json_response(DossierOut.of(dossier), 201 if created else 200, headers)


def _following(api: APIRouter, app: IntakeApplication) -> None:
    @api.get("", response_model=list[DossierOut], summary="My submitted dossiers, newest first")
    def mine(principal: Applicant) -> list[DossierOut]:
        dossiers = app.dossiers_of(principal.subject, drafts=False)
        return [DossierOut.of(d) for d in dossiers]

    @api.get("/{code}", response_model=DossierOut, summary="One of my dossiers, as intake knows it")
    def by_code(code: str, principal: Applicant) -> DossierOut:
        dossier = app.owned_by_code(principal.subject, canonical(code))
        return DossierOut.of(dossier)


def _answering(api: APIRouter, app: IntakeApplication) -> None:
    """What the citizen may do while the dossier is undecided: answer a supplement request,
    or withdraw it."""

    @api.post(
        "/{code}/supplements",
        status_code=201,
        response_model=DossierOut,
        summary="Answer the open supplement request (hồ sơ bổ sung)",
    )
    async def supplement(
        code: str,
        body: SupplementIn,
        principal: Applicant,
        idempotency_key: IdempotencyKey,
        request: Request,
        response: Response,
    ) -> DossierOut:
        meta = meta_for(request, principal)
        dossier, created = await app.resubmit(
            principal.subject,
            canonical(code),
            request_id=body.request_id,
            form_changes=body.form_data,
            attachments=[a.ref() for a in body.attachments],
            note=body.note,
            idempotency_key=idempotency_key,
            meta=meta,
        )
        created_or_repeated(response, dossier, created)
        return DossierOut.of(dossier)

    @api.post(
        "/{code}/withdraw",
        response_model=DossierOut,
        summary="Withdraw a dossier not yet decided (rút hồ sơ)",
    )
    def withdraw(
        code: str, principal: Applicant, request: Request, body: WithdrawIn | None = None
    ) -> DossierOut:
        meta = meta_for(request, principal)
        reason = body.reason if body else None
        dossier = app.withdraw(principal.subject, canonical(code), reason, meta)
        return DossierOut.of(dossier)
