"""What officers do with a dossier of their unit: one named command each, one event each.

Each command runs `act_at` (only staff of the dossier's unit act; a stale If-Match version or a
concurrent action by someone else is 409, never two decisions) and returns the case with the
position of what it wrote in processing's log (the consistency token of the answer). The `Case`
aggregate checks what the law asks of each action; these commands add only what needs the
application: the maintained lists of reasons and the catalog's units.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal, Protocol
from uuid import uuid4

from dvc_contracts.envelope import utc
from dvc_kernel.auth.principal import Principal
from dvc_kernel.catalog_replica import CatalogReplica
from dvc_kernel.errors import Unprocessable
from dvc_kernel.meta import CommandMeta

from ..domain.case import Case
from ..reasons import supplement_round_reasons

Acted = tuple[Case, int]  # the case after the action, and the log position it was written at
Action = Callable[[Case, datetime, dict[str, Any]], None]


class Acts(Protocol):
    """What the commands need of the application they are part of."""

    catalog: CatalogReplica

    def act_at(
        self, code: str, principal: Principal, meta: CommandMeta, action: Action, expected_version: int | None
    ) -> Acted: ...

    def legal_basis_of(self, reason_code: str, given: str | None) -> str: ...

    def apology_letter(self, case: Case, reason: str, new_due_at: datetime) -> str: ...


class OfficerCommands:
    def assign(
        self: Acts,
        code: str,
        by: Principal,
        meta: CommandMeta,
        expected: int | None,
        officer_id: str,
    ) -> Acted:
        return self.act_at(code, by, meta, lambda c, at, m: c.assign(officer_id, at, m), expected)

    def accept(self: Acts, code: str, by: Principal, meta: CommandMeta, expected: int | None) -> Acted:
        return self.act_at(code, by, meta, lambda c, at, m: c.accept(at, m), expected)

    def request_supplement(
        self: Acts,
        code: str,
        by: Principal,
        meta: CommandMeta,
        expected: int | None,
        items: list[dict[str, Any]],
        round_reason: str | None,
    ) -> Acted:
        """Everything missing, in one go; a later round names its reason from the maintained list."""
        if round_reason is not None and round_reason not in supplement_round_reasons():
            raise Unprocessable(
                "unknown_round_reason",
                "Lý do yêu cầu bổ sung lần tiếp theo không có trong danh mục.",
                known=sorted(supplement_round_reasons()),
            )
        request_id = uuid4()
        return self.act_at(
            code,
            by,
            meta,
            lambda c, at, m: c.request_supplement(request_id, items, at, m, round_reason),
            expected,
        )

    def reject(
        self: Acts,
        code: str,
        by: Principal,
        meta: CommandMeta,
        expected: int | None,
        reason_code: str,
        legal_basis: str | None,
        explanation: str,
    ) -> Acted:
        """Refuse at reception, with a listed reason and its legal basis."""
        basis = self.legal_basis_of(reason_code, legal_basis)
        return self.act_at(
            code, by, meta, lambda c, at, m: c.reject(reason_code, basis, explanation, at, m), expected
        )

    def decide(
        self: Acts,
        code: str,
        by: Principal,
        meta: CommandMeta,
        expected: int | None,
        outcome: Literal["approved", "refused"],
        summary: str | None = None,
        reason_code: str | None = None,
        legal_basis: str | None = None,
        explanation: str | None = None,
    ) -> Acted:
        """Approve (saying what is granted) or refuse (with a listed reason and its legal basis)."""
        if outcome == "approved":
            if not summary:
                raise Unprocessable("summary_required", "Phải ghi nội dung được phê duyệt.")
            granted = summary
            return self.act_at(code, by, meta, lambda c, at, m: c.approve(granted, at, m), expected)
        missing = [
            name for name, value in (("reason_code", reason_code), ("explanation", explanation)) if not value
        ]
        if missing:
            raise Unprocessable(
                "reason_required",
                "Không giải quyết phải nêu lý do cụ thể và căn cứ pháp lý; còn thiếu: "
                + ", ".join(missing)
                + ".",
            )
        reason, why = reason_code or "", explanation or ""
        basis = self.legal_basis_of(reason, legal_basis)
        return self.act_at(code, by, meta, lambda c, at, m: c.refuse(reason, basis, why, at, m), expected)

    def issue_result(
        self: Acts,
        code: str,
        by: Principal,
        meta: CommandMeta,
        expected: int | None,
        result_form: str,
        summary: str,
    ) -> Acted:
        return self.act_at(
            code, by, meta, lambda c, at, m: c.issue_result(result_form, summary, at, m), expected
        )

    def transfer(
        self: Acts,
        code: str,
        by: Principal,
        meta: CommandMeta,
        expected: int | None,
        to_unit: str,
        reason: str,
    ) -> Acted:
        """Send the dossier to the competent unit, which the catalog must know."""
        if to_unit not in self.catalog.units:
            raise Unprocessable("unknown_unit", f"Không có đơn vị mã «{to_unit}».")
        return self.act_at(code, by, meta, lambda c, at, m: c.transfer(to_unit, reason, at, m), expected)

    def apologise(
        self: Acts,
        code: str,
        by: Principal,
        meta: CommandMeta,
        expected: int | None,
        reason: str,
        new_due_at: datetime,
    ) -> Acted:
        """A late result: an apology letter (Mẫu 04) with a new appointment."""
        due = utc(new_due_at)

        def apologise(c: Case, at: datetime, m: dict[str, Any]) -> None:
            c.apologise(reason, due, self.apology_letter(c, reason, due), at, m)

        return self.act_at(code, by, meta, apologise, expected)
