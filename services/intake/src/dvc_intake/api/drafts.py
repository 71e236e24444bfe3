"""HTTP: drafts are saved and resumed, given files, and submitted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Form, Header, Request, Response, UploadFile

from dvc_kernel.errors import problems

from ..application import IntakeApplication
from ..application.drafts import DraftEdit
from ..domain.dossier import Dossier
from .deps import Applicant, ExpectedVersion, IdempotencyKey, created_or_repeated, etag, meta_for
from .models import DossierOut, DraftOut, StartDraft, UpdateDraft
from .uploads import read_limited, refuse_oversized_request


def router(app: IntakeApplication) -> APIRouter:
    api = APIRouter(prefix="/v1/drafts", tags=["drafts"])

    def shown(draft: Dossier, response: Response) -> DraftOut:
        response.headers["ETag"] = etag(draft.version)
        return DraftOut.of(draft, app.draft_rules(draft))

    _drafting(api, app, shown)
    _files(api, app, shown)
    _submitting(api, app)
    return api


Shown = Callable[[Dossier, Response], DraftOut]


def _drafting(api: APIRouter, app: IntakeApplication, shown: Shown) -> None:
    """Start, list, resume, delete and save drafts."""

    @api.post("", status_code=201, response_model=DraftOut, summary="Start a draft for a procedure")
    def start(
        body: StartDraft,
        principal: Applicant,
        request: Request,
        response: Response,
        idempotency_key: Annotated[str | None, Header(min_length=8, max_length=128)] = None,
    ) -> DraftOut:
        meta = meta_for(request, principal)
        draft, created = app.start_draft(principal.subject, body.procedure_code, meta, idempotency_key)
        if not created:
            response.status_code = 200
        response.headers["Location"] = f"/v1/drafts/{draft.id}"
        return shown(draft, response)

    @api.get("", response_model=list[DraftOut], summary="My drafts, newest first")
    def mine(principal: Applicant) -> list[DraftOut]:
        drafts = app.dossiers_of(principal.subject, drafts=True)
        return [DraftOut.of(d, app.draft_rules(d)) for d in drafts]

    @api.get("/{draft_id}", response_model=DraftOut, summary="Resume a draft")
    def resume(draft_id: UUID, principal: Applicant, response: Response) -> DraftOut:
        draft = app.draft(principal.subject, draft_id)
        return shown(draft, response)

    @api.delete(
        "/{draft_id}",
        status_code=204,
        summary="Delete my draft (a submitted dossier is withdrawn instead)",
        responses={404: {"description": "No such draft of yours"}, 409: {"description": "Already submitted"}},
    )
    def delete(draft_id: UUID, principal: Applicant, request: Request) -> Response:
        meta = meta_for(request, principal)
        app.delete_draft(principal.subject, draft_id, meta)
        return Response(status_code=204)

    @api.put(
        "/{draft_id}",
        response_model=DraftOut,
        summary="Save the draft (If-Match: its ETag; 412 when someone saved in between)",
        responses=problems(409, 412, 428),
    )
    def save(
        draft_id: UUID,
        body: UpdateDraft,
        principal: Applicant,
        expected: ExpectedVersion,
        request: Request,
        response: Response,
    ) -> DraftOut:
        edit = DraftEdit(
            form_data=body.form_data,
            applicant=body.applicant.data() if body.applicant else None,
            delivery_mode=body.delivery_mode,
            ward_code=body.ward_code,
        )
        meta = meta_for(request, principal)
        draft = app.edit_draft(principal.subject, draft_id, expected, edit, meta)
        return shown(draft, response)


def _files(api: APIRouter, app: IntakeApplication, shown: Shown) -> None:
    """A draft's files: each attached as one of the procedure's papers, or removed."""

    @api.post(
        "/{draft_id}/attachments",
        status_code=201,
        response_model=DraftOut,
        summary="Attach a file (PDF, JPEG or PNG, judged by content) as one of the procedure's papers",
        responses=problems(409, 412, 415, 428),
    )
    async def attach(
        draft_id: UUID,
        file: UploadFile,
        document_code: Annotated[str, Form(min_length=1, max_length=100)],
        principal: Applicant,
        request: Request,
        response: Response,
    ) -> DraftOut:
        refuse_oversized_request(request, app.max_upload_bytes)
        content = await read_limited(file, app.max_upload_bytes)
        meta = meta_for(request, principal)
        draft, _ = await app.attach(principal.subject, draft_id, document_code, content, meta)
        return shown(draft, response)

    @api.delete(
        "/{draft_id}/attachments/{sha256}", response_model=DraftOut, summary="Remove a file from the draft"
    )
    def detach(
        draft_id: UUID, sha256: str, principal: Applicant, request: Request, response: Response
    ) -> DraftOut:
        meta = meta_for(request, principal)
        draft = app.detach(principal.subject, draft_id, sha256, meta)
        return shown(draft, response)


def _submitting(api: APIRouter, app: IntakeApplication) -> None:
    @api.post(
        "/{draft_id}/submit",
        status_code=201,
        response_model=DossierOut,
        summary="Submit the draft: checked, routed and given its dossier code",
    )
    def submit(
        draft_id: UUID,
        principal: Applicant,
        idempotency_key: IdempotencyKey,
        request: Request,
        response: Response,
    ) -> DossierOut:
        meta = meta_for(request, principal)
        dossier, created = app.submit_draft(principal.subject, draft_id, idempotency_key, meta)
        created_or_repeated(response, dossier, created)
        response.headers["Location"] = f"/v1/dossiers/{dossier.code}"
        return DossierOut.of(dossier)
