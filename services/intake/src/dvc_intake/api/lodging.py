"""HTTP: hosts and accommodation establishments notify lodging (thông báo lưu trú), any hour."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request, Response

from dvc_kernel.attribute_views import view_of

from ..application import IntakeApplication
from ..application.lodging import NoticeRequest
from ..domain.lodging import GuestEntry, LodgingNotice
from ..domain.refusal import Refused
from .deps import Applicant, IdempotencyKey, meta_for
from .models import NoticeIn, NoticeOut


def shown(notice: LodgingNotice) -> NoticeOut:
    return view_of(NoticeOut, notice, notice_id=notice.id, notice_code=notice.code)


def router(app: IntakeApplication) -> APIRouter:
    api = APIRouter(prefix="/v1/lodging-notices", tags=["lodging"])

    @api.post(
        "",
        status_code=201,
        response_model=NoticeOut,
        summary="Notify the commune police of guests; received at once, at any hour",
    )
    def file(
        body: NoticeIn,
        principal: Applicant,
        idempotency_key: IdempotencyKey,
        request: Request,
        response: Response,
    ) -> NoticeOut:
        notice_request = NoticeRequest(
            establishment=body.establishment.strip(),
            ward_code=body.ward_code,
            address=body.address.strip(),
            guests=[
                GuestEntry(
                    id_number=g.id_number,
                    full_name=g.full_name.strip(),
                    date_of_birth=g.date_of_birth,
                    arrived_at=g.arrived_at,
                    stay_from=g.stay_from,
                    stay_until=g.stay_until,
                )
                for g in body.guests
            ],
        )
        meta = meta_for(request, principal)
        notice, created = app.file_notice(principal.subject, notice_request, idempotency_key, meta)
        if not created:
            response.status_code = 200
        response.headers["Location"] = f"/v1/lodging-notices/{notice.id}"
        return shown(notice)

    @api.get("", response_model=list[NoticeOut], summary="My lodging notices")
    def mine(principal: Applicant) -> list[NoticeOut]:
        notices = app.notices_of(principal.subject)
        return [shown(n) for n in sorted(notices, key=lambda n: n.filed_at, reverse=True)]

    @api.get("/{notice_id}", response_model=NoticeOut, summary="One of my lodging notices")
    def one(notice_id: UUID, principal: Applicant) -> NoticeOut:
        notice = app.notice(principal.subject, notice_id)
        if notice is None:
            raise Refused("notice_not_found", "Không tìm thấy thông báo lưu trú này.", "not_found")
        return shown(notice)

    return api
