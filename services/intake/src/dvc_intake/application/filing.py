"""Submission: one validation path for a draft submitted and a dossier filed in one go.

Before anything is written, the submission is checked against the version in force on the day
of submission: the form, the required papers, the delivery mode, the ward (routing) and, last
because it costs a call, the applicant against the population registry. Every problem found
locally is reported at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from dvc_kernel.meta import CommandMeta
from dvc_kernel.store_commands import store_command

from ..adapters.registry import DeclaredPerson, RegistryVerdict
from ..domain.documents import document_problems
from ..domain.dossier import Dossier, dossier_id_for
from ..domain.eligibility import online_filing_refusal
from ..domain.form import FieldProblem, check_form
from ..domain.papers import Applicant, Attachment, FileRef
from ..domain.refusal import Refused
from ..domain.routing import competent_unit
from ..projections.procedure_rules import ProcedureRules, rules_of
from .base import DOSSIERS, fingerprint, owned
from .drafts import DraftCommands


@dataclass(frozen=True)
class Submission:
    """What is filed, from a one-shot request or from a draft."""

    procedure_code: str
    applicant: Applicant | None
    delivery_mode: str | None
    ward_code: str | None
    form_data: dict[str, Any]
    attachments: list[FileRef] = field(default_factory=list)

    def fingerprint(self) -> str:
        return fingerprint(self.__dict__)


@dataclass(frozen=True)
class Prepared:
    """A submission that passed every check but the registry's."""

    submission: Submission
    owner: str
    key: str
    filing: Filing
    person: DeclaredPerson


@dataclass(frozen=True)
class Filing:
    """A submission that passed every local check (the registry's comes last)."""

    rules: ProcedureRules
    applicant: Applicant
    delivery_mode: str
    ward_code: str
    unit_code: str
    form_data: dict[str, Any]
    attachments: list[Attachment]


def _missing(field_name: str, label: str) -> FieldProblem:
    return FieldProblem(field_name, label, "required", f"Vui lòng nhập «{label}».")


class FilingCommands(DraftCommands):
    def submit_draft(
        self, owner: str, draft_id: UUID, idempotency_key: str, meta: CommandMeta
    ) -> tuple[Dossier, bool]:
        draft = self.draft(owner, draft_id)
        if not draft.is_draft:
            if draft.submit_key == idempotency_key:
                return draft, False
            raise Refused(
                "draft_already_submitted", "Hồ sơ này đã được nộp.", "conflict", dossier_code=draft.code
            )
        submission = Submission(
            procedure_code=draft.procedure_code,
            applicant=draft.applicant,
            delivery_mode=draft.delivery_mode,
            ward_code=draft.ward_code,
            form_data=draft.form_data,
            attachments=[
                FileRef(sha256=a["sha256"], document_code=a["document_code"]) for a in draft.attachments
            ],
        )
        filing = self._checked(submission, owner)
        self._check_registry(filing.applicant)

        def build(code: str) -> Dossier:
            fresh = self.draft(owner, draft_id)
            self._file(fresh, filing, code, idempotency_key, None, meta)
            return fresh

        def already_done() -> tuple[Dossier, bool] | None:
            again = self.draft(owner, draft_id)
            if not again.is_draft and again.submit_key == idempotency_key:
                return again, False
            if not again.is_draft:
                raise Refused("draft_already_submitted", "Hồ sơ này đã được nộp.", "conflict")
            return None

        return self.save_with_new_code(draft_id, build, already_done)

    def submit(
        self, submission: Submission, owner: str, idempotency_key: str, meta: CommandMeta
    ) -> tuple[Dossier, bool]:
        """File a dossier in one go; returns it and whether this call created it.

        Retrying with the same idempotency key returns the dossier created the first time;
        reusing the key for a different submission is refused.
        """
        prepared = self.prepare_submission.sync(submission, owner, idempotency_key)
        if not isinstance(prepared, Prepared):
            return prepared
        verdict = self.registry.check(prepared.person)
        return self.file_submission.sync(prepared, verdict, meta)

    @store_command
    def prepare_submission(
        self, submission: Submission, owner: str, idempotency_key: str
    ) -> Prepared | tuple[Dossier, bool]:
        """Every check but the registry's (the one that costs a call): the submission ready to
        file, or the dossier this idempotency key filed before."""
        done = self._filed_before(submission, owner, idempotency_key)
        if done is not None:
            return done
        filing = self._checked(submission, owner)
        return Prepared(submission, owner, idempotency_key, filing, declared(filing.applicant))

    @store_command
    def file_submission(
        self, prepared: Prepared, verdict: RegistryVerdict, meta: CommandMeta
    ) -> tuple[Dossier, bool]:
        """File what `prepare_submission` checked, once the registry has matched the applicant."""
        refuse_unless_matched(verdict)
        submission, owner, key, filing = prepared.submission, prepared.owner, prepared.key, prepared.filing
        dossier_id = dossier_id_for(owner, key)

        def build(code: str) -> Dossier:
            dossier = Dossier(
                id=dossier_id,
                owner_account=owner,
                procedure_code=submission.procedure_code,
                pinned_version=filing.rules.version,
                meta=meta.as_dict(),
            )
            self._file(dossier, filing, code, key, submission.fingerprint(), meta)
            return dossier

        def already_done() -> tuple[Dossier, bool] | None:
            return self._filed_before(submission, owner, key)

        lookups = [owned(DOSSIERS, owner, dossier_id)]
        return self.save_with_new_code(dossier_id, build, already_done, lookups)

    def _filed_before(self, submission: Submission, owner: str, key: str) -> tuple[Dossier, bool] | None:
        existing = self._get(Dossier, dossier_id_for(owner, key))
        if existing is None:
            return None
        if existing.owner_account != owner or existing.request_fingerprint != submission.fingerprint():
            raise Refused(
                "idempotency_key_reused",
                "Khóa chống trùng lặp (Idempotency-Key) đã được dùng cho một hồ sơ khác.",
                "conflict",
            )
        return existing, False

    def _file(
        self,
        dossier: Dossier,
        filing: Filing,
        code: str,
        key: str,
        request_fingerprint: str | None,
        meta: CommandMeta,
    ) -> None:
        dossier.submit(
            code=code,
            procedure_version=filing.rules.version,
            applicant=filing.applicant,
            unit_code=filing.unit_code,
            ward_code=filing.ward_code,
            delivery_mode=filing.delivery_mode,
            form_data=filing.form_data,
            attachments=filing.attachments,
            submitted_at=self.clock.now(),
            submit_key=key,
            request_fingerprint=request_fingerprint,
            meta=meta.as_dict(),
        )

    def _checked(self, submission: Submission, owner: str) -> Filing:
        rules = rules_of(self.version_in_force(submission.procedure_code))
        if rules.level < 3 or submission.delivery_mode is not None:
            refusal = online_filing_refusal(
                rules.level, rules.delivery_modes, submission.delivery_mode or rules.delivery_modes[0]
            )
            if refusal is not None:
                raise Refused.of(refusal, field="delivery_mode")
        attachments = self.owned_attachments(owner, submission.attachments)
        fields = check_form(rules.form, submission.form_data, self.today())
        for name, label, value in (
            ("applicant", "Thông tin người đề nghị", submission.applicant),
            ("delivery_mode", "Hình thức nhận kết quả", submission.delivery_mode),
            ("ward_code", "Xã, phường, đặc khu nơi cư trú", submission.ward_code),
        ):
            if value is None:
                fields.append(_missing(name, label))
        documents = document_problems(rules.documents, [a["document_code"] for a in attachments])
        if fields:
            raise Refused(
                "invalid_form",
                "Hồ sơ chưa hợp lệ. Vui lòng sửa các mục được nêu dưới đây.",
                fields=[p.as_dict() for p in fields],
                documents=[p.as_dict() for p in documents],
            )
        if documents:
            raise Refused(
                "missing_documents",
                "Hồ sơ còn thiếu giấy tờ hoặc có giấy tờ không thuộc thủ tục này.",
                documents=[p.as_dict() for p in documents],
            )
        assert submission.applicant and submission.delivery_mode and submission.ward_code
        unit = competent_unit(
            rules.unit_level, rules.ministry_department_code, submission.ward_code, self.units
        )
        return Filing(
            rules=rules,
            applicant=submission.applicant,
            delivery_mode=submission.delivery_mode,
            ward_code=submission.ward_code,
            unit_code=unit.code,
            form_data=submission.form_data,
            attachments=attachments,
        )

    def _check_registry(self, applicant: Applicant) -> None:
        refuse_unless_matched(self.registry.check(declared(applicant)))


def declared(applicant: Applicant) -> DeclaredPerson:
    return DeclaredPerson(
        id_number=applicant["id_number"],
        full_name=applicant["full_name"],
        date_of_birth=date.fromisoformat(str(applicant["date_of_birth"])),
    )


def refuse_unless_matched(verdict: RegistryVerdict) -> None:
    if not verdict.matched:
        raise Refused(
            "registry_mismatch",
            verdict.message
            or "Thông tin khai báo không khớp với Cơ sở dữ liệu quốc gia về dân cư. Vui lòng liên hệ "
            "Công an cấp xã nơi cư trú để được kiểm tra, cập nhật, điều chỉnh thông tin.",
            registry_code=verdict.code,
        )
