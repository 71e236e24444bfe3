"""Citizens' complaints about their dossiers (citizen), answered by supervisors of the
superior unit (supervisor)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import TypedDict
from uuid import UUID, uuid4

import yaml

from dvc_calendar import DeadlineKind, DeadlineRule, SupplementPolicy, compute_due
from dvc_contracts.envelope import utc
from dvc_kernel.auth.principal import Principal, Role
from dvc_kernel.meta import CommandMeta
from dvc_kernel.refusal import Kind, Refusal
from dvc_kernel.store_commands import store_command

from ..domain.complaint import Complaint
from .base import ProcessingBase, dossier_not_found


class ComplaintPolicy(TypedDict):
    """`data/complaints.yaml`: how long the superior unit has, and who answers by default."""

    response_working_days: int
    fallback_superior_unit: str


@cache
def complaint_policy() -> ComplaintPolicy:
    raw: ComplaintPolicy = yaml.safe_load(
        files("dvc_processing").joinpath("data/complaints.yaml").read_text(encoding="utf-8")
    )
    return raw


class ComplaintCommands(ProcessingBase):
    @store_command
    def file_complaint(self, code: str, principal: Principal, text: str, meta: CommandMeta) -> Complaint:
        """A citizen complains about their own dossier; the superior unit must answer in time."""
        case = self.case_by_code(code)
        if (
            case is None
            or principal.role not in {Role.CITIZEN, Role.ORGANISATION}
            or (case.owner_account != principal.subject)
        ):
            raise dossier_not_found()
        now = self.clock.now()
        rule = DeadlineRule(
            kind=DeadlineKind.WORKING_DAYS,
            amount=int(complaint_policy()["response_working_days"]),
            on_supplement=SupplementPolicy.RESTART,
        )
        complaint = Complaint(
            id=uuid4(),
            dossier_id=case.id,
            dossier_code=case.dossier_code,
            owner_account=case.owner_account,
            unit_code=case.unit_code,
            superior_unit=self.superior_of(case.unit_code),
            text=text,
            filed_at=now,
            respond_by=utc(compute_due(now, rule).due_at),
            meta=meta.as_dict(),
        )
        self.save(complaint)
        return complaint

    @store_command
    def resolve_complaint(
        self, complaint_id: UUID, principal: Principal, resolution: str, meta: CommandMeta
    ) -> Complaint:
        """A supervisor of the superior unit answers the complaint."""
        complaint = self.find(Complaint, complaint_id)
        if complaint is None:
            raise Refusal("complaint_not_found", "Không tìm thấy phản ánh này.", Kind.NOT_FOUND)
        if principal.role is not Role.SUPERVISOR or complaint.superior_unit not in principal.units:
            raise Refusal(
                "not_superior_unit",
                "Chỉ lãnh đạo đơn vị cấp trên của đơn vị giải quyết hồ sơ mới trả lời phản ánh.",
                Kind.FORBIDDEN,
            )
        complaint.resolve(resolution, self.clock.now(), meta.as_dict())
        self.save(complaint)
        return complaint

    def superior_of(self, unit_code: str | None) -> str:
        unit = self.catalog.units.get(unit_code or "")
        parent = unit.parent_code if unit else None
        return parent or str(complaint_policy()["fallback_superior_unit"])
