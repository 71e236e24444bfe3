"""What officers and supervisors of the dossier's unit do with it: one named command each.

Each command loads the case by its code, checks that the principal may act on it and on the
version they saw (If-Match), lets the `Case` aggregate apply its rules, and saves; a concurrent
action by someone else is refused, never recorded as a second decision.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from uuid import uuid4

from eventsourcing.persistence import IntegrityError

from dvc_kernel.auth.access import DossierScope, can_change_dossier
from dvc_kernel.auth.principal import Principal, Role
from dvc_kernel.caller_meta import first_unit
from dvc_kernel.clock import VIETNAM
from dvc_kernel.event_meta import EventMeta
from dvc_kernel.inbox import conflict
from dvc_kernel.meta import CommandMeta
from dvc_kernel.refusal import Kind, Refusal
from dvc_kernel.store_commands import store_command

from ..domain.case import Case
from ..domain.payloads import SupplementItem
from ..domain.reasons import legal_basis_of, letters, supplement_round_reasons
from ..projections.applicant import applicant_of
from .base import ProcessingBase, dossier_not_found

STAFF_WHO_ACT = frozenset({Role.OFFICER, Role.SUPERVISOR})

Action = Callable[[Case, datetime, EventMeta], None]


@dataclass(frozen=True)
class Acting:
    """One officer acting on one dossier: which, who, the command's metadata, and the
    version they saw (the If-Match header, as sent)."""

    code: str
    principal: Principal
    meta: CommandMeta
    if_match: str | None = None


@dataclass(frozen=True)
class Acted:
    """The case after the action, and the position of what it wrote in processing's log (for
    the consistency token of the answer)."""

    case: Case
    position: int


class OfficerCommands(ProcessingBase):
    @store_command
    def assign(self, acting: Acting, officer_id: str) -> Acted:
        return self._act(acting, lambda c, at, meta: c.assign(officer_id, at, meta))

    @store_command
    def accept(self, acting: Acting) -> Acted:
        return self._act(acting, lambda c, at, meta: c.accept(at, meta))

    @store_command
    def request_supplement(
        self, acting: Acting, items: list[SupplementItem], round_reason: str | None
    ) -> Acted:
        if round_reason is not None and round_reason not in supplement_round_reasons():
            raise Refusal(
                "unknown_round_reason",
                "Lý do yêu cầu bổ sung lần tiếp theo không có trong danh mục.",
                Kind.INVALID,
                known=sorted(supplement_round_reasons()),
            )
        return self._act(
            acting, lambda c, at, meta: c.request_supplement(uuid4(), items, at, meta, round_reason)
        )

    @store_command
    def reject(self, acting: Acting, reason_code: str, legal_basis: str | None, explanation: str) -> Acted:
        basis = legal_basis_of(reason_code, legal_basis)
        return self._act(acting, lambda c, at, meta: c.reject(reason_code, basis, explanation, at, meta))

    @store_command
    def approve(self, acting: Acting, summary: str | None) -> Acted:
        if not summary:  # what is granted is what the result will say
            raise Refusal("summary_required", "Phải ghi nội dung được phê duyệt.", Kind.INVALID)
        return self._act(acting, lambda c, at, meta: c.approve(summary, at, meta))

    @store_command
    def refuse(
        self, acting: Acting, reason_code: str | None, legal_basis: str | None, explanation: str | None
    ) -> Acted:
        given = {"reason_code": reason_code, "explanation": explanation}
        missing = [name for name, value in given.items() if not value]
        if missing:  # the request's fields named, before the listed reason is looked up
            raise Refusal(
                "reason_required",
                "Không giải quyết phải nêu lý do cụ thể và căn cứ pháp lý; còn thiếu: "
                + ", ".join(missing)
                + ".",
                Kind.INVALID,
            )
        code, text = reason_code or "", explanation or ""
        basis = legal_basis_of(code, legal_basis)
        return self._act(acting, lambda c, at, meta: c.refuse(code, basis, text, at, meta))

    @store_command
    def issue_result(self, acting: Acting, result_form: str, summary: str) -> Acted:
        return self._act(acting, lambda c, at, meta: c.issue_result(result_form, summary, at, meta))

    @store_command
    def transfer(self, acting: Acting, to_unit: str, reason: str) -> Acted:
        if to_unit not in self.catalog.units:
            raise Refusal("unknown_unit", f"Không có đơn vị mã «{to_unit}».", Kind.INVALID)
        return self._act(acting, lambda c, at, meta: c.transfer(to_unit, reason, at, meta))

    @store_command
    def apologise(self, acting: Acting, reason: str, new_due_at: datetime) -> Acted:
        def action(c: Case, at: datetime, meta: EventMeta) -> None:
            c.apologise(reason, new_due_at, self.apology_letter(c, reason, new_due_at), at, meta)

        return self._act(acting, action)

    def acting_unit(self, code: str, principal: Principal) -> str | None:
        """The unit the officer acts for: the dossier's, when it is one of theirs."""
        case = self.case_by_code(code)
        if case is not None and case.unit_code in principal.units:
            return case.unit_code
        return first_unit(principal)

    def apology_letter(self, case: Case, reason: str, new_due_at: datetime) -> str:
        full_name = applicant_of(self.events, case.id).get("full_name", "")
        unit = self.catalog.units.get(case.unit_code or "")
        return letters()["apology"].format(
            unit_name=unit.name if unit else "Cơ quan giải quyết",
            full_name=full_name,
            dossier_code=case.dossier_code,
            due_at=_when(case.due_at) if case.due_at else "",
            reason=reason,
            new_due_at=_when(new_due_at),
        )

    def _act(self, acting: Acting, action: Action) -> Acted:
        """Run one officer action on the dossier, exactly as the rules allow: only staff of the
        dossier's unit act; a stale version or a concurrent action by someone else is refused."""
        expected = _version(acting.if_match)
        case = self.case_by_code(acting.code)
        if case is None:
            raise dossier_not_found()
        principal = acting.principal
        if principal.role not in STAFF_WHO_ACT or not can_change_dossier(
            principal, DossierScope(owner=case.owner_account, unit=case.unit_code)
        ):
            raise Refusal(
                "not_your_unit",
                "Chỉ cán bộ của đơn vị đang giải quyết hồ sơ mới được thao tác.",
                Kind.FORBIDDEN,
            )
        if expected is not None and expected != case.version:
            raise Refusal(
                "stale_version",
                "Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại trước khi thao tác.",
                Kind.CONFLICT,
            )
        action(case, self.clock.now(), acting.meta.as_dict())
        try:
            recordings = self.save(case)
        except IntegrityError as error:
            conflict("officer action", case.dossier_code, error)  # answered 409: reload, try again
            raise Refusal(
                "concurrent_change",
                "Hồ sơ vừa được cán bộ khác xử lý. Vui lòng tải lại để xem kết quả.",
                Kind.CONFLICT,
            ) from None
        return Acted(case, max((r.notification.id for r in recordings), default=0))


def _when(instant: datetime) -> str:
    return instant.astimezone(VIETNAM).strftime("%H:%M ngày %d/%m/%Y")


def _version(if_match: str | None) -> int | None:
    """The case version an If-Match header names (its ETag)."""
    if if_match is None:
        return None
    try:
        return int(if_match.strip().strip('"').removeprefix("W/").strip('"'))
    except ValueError:
        raise Refusal(
            "invalid_if_match", "Tiêu đề If-Match phải là phiên bản (ETag) của hồ sơ.", Kind.INVALID
        ) from None
