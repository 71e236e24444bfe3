"""Citizens' complaints about their dossiers, answered by supervisors of the superior unit."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from importlib.resources import files
from typing import Any
from uuid import UUID, uuid4

import yaml
from eventsourcing.application import AggregateNotFoundError

from dvc_calendar import DeadlineKind, DeadlineRule, SupplementPolicy, compute_due
from dvc_contracts.envelope import utc
from dvc_kernel.auth.principal import Principal, Role
from dvc_kernel.errors import Conflict, Forbidden, NotFound
from dvc_kernel.meta import CommandMeta

from .application import ProcessingApplication
from .domain.case import TransitionRefused
from .domain.complaint import Complaint


@cache
def _policy() -> dict[str, Any]:
    raw: dict[str, Any] = yaml.safe_load(
        files("dvc_processing").joinpath("data/complaints.yaml").read_text(encoding="utf-8")
    )
    return raw


def superior_of(app: ProcessingApplication, unit_code: str | None) -> str:
    unit = app.catalog.units.get(unit_code or "")
    parent = unit.parent_code if unit else None
    return parent or str(_policy()["fallback_superior_unit"])


def respond_by(filed_at: datetime) -> datetime:
    rule = DeadlineRule(
        kind=DeadlineKind.WORKING_DAYS,
        amount=int(_policy()["response_working_days"]),
        on_supplement=SupplementPolicy.RESTART,
    )
    return utc(compute_due(filed_at, rule).due_at)


def file_complaint(
    app: ProcessingApplication, code: str, principal: Principal, text: str, meta: CommandMeta
) -> Complaint:
    case = app.case_by_code(code)
    if (
        case is None
        or principal.role not in {Role.CITIZEN, Role.ORGANISATION}
        or (case.owner_account != principal.subject)
    ):
        raise NotFound("dossier_not_found", "Không tìm thấy hồ sơ có mã này.")
    now = app.clock.now()
    complaint = Complaint(
        id=uuid4(),
        dossier_id=case.id,
        dossier_code=case.dossier_code,
        owner_account=case.owner_account,
        unit_code=case.unit_code,
        superior_unit=superior_of(app, case.unit_code),
        text=text,
        filed_at=now,
        respond_by=respond_by(now),
        meta=meta.as_dict(),
    )
    app.save(complaint)
    return complaint


def resolve_complaint(
    app: ProcessingApplication, complaint_id: UUID, principal: Principal, resolution: str, meta: CommandMeta
) -> Complaint:
    try:
        complaint: Complaint = app.repository.get(complaint_id)
    except AggregateNotFoundError:
        raise NotFound("complaint_not_found", "Không tìm thấy phản ánh này.") from None
    if principal.role is not Role.SUPERVISOR or complaint.superior_unit not in principal.units:
        raise Forbidden(
            "not_superior_unit",
            "Chỉ lãnh đạo đơn vị cấp trên của đơn vị giải quyết hồ sơ mới trả lời phản ánh.",
        )
    try:
        complaint.resolve(resolution, app.clock.now(), meta.as_dict())
    except TransitionRefused as refused:
        raise Conflict(refused.code, refused.message) from None
    app.save(complaint)
    return complaint
