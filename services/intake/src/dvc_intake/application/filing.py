"""Drafts and submission: one validation path for a draft submitted and a dossier filed in one go.

Before anything is written, the submission is checked against the version in force on the day
of submission: the form, the required papers, the delivery mode, the ward (routing) and, last
because it costs a call, the applicant against the population registry. Every problem found
locally is reported at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID, uuid4

from dvc_kernel.meta import CommandMeta
from dvc_kernel.store_commands import blocking_command, store_command

from ..adapters.registry import DeclaredPerson, RegistryVerdict
from ..domain.documents import document_problems, find, unknown_document
from ..domain.dossier import Dossier, dossier_id_for, draft_id_for
from ..domain.eligibility import online_filing_refusal
from ..domain.files import accepted_file
from ..domain.form import FieldProblem, check_form
from ..domain.papers import Applicant, Attachment, FileRef
from ..domain.refusal import Refused
from ..domain.routing import competent_unit
from ..projections.procedure_rules import ProcedureRules, rules_of
from .base import DOSSIERS, DRAFT_NOT_FOUND, IntakeBase, fingerprint, owned


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
class DraftEdit:
    form_data: dict[str, Any]
    applicant: Applicant | None
    delivery_mode: str | None
    ward_code: str | None


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


class FilingCommands(IntakeBase):
    # --- drafts ---------------------------------------------------------------------------

    def start_draft(
        self, owner: str, procedure_code: str, meta: CommandMeta, idempotency_key: str | None = None
    ) -> tuple[Dossier, bool]:
        version = self.version_in_force(procedure_code)
        if version.level < 3:  # no point drafting what cannot be filed online
            refusal = online_filing_refusal(version.level, version.delivery_modes, "")
            assert refusal is not None
            raise Refused.of(refusal)
        draft_id = draft_id_for(owner, idempotency_key) if idempotency_key else uuid4()
        existing = self.owned_dossier(owner, draft_id)
        if existing is not None:
            return existing, False
        draft = Dossier(
            id=draft_id,
            owner_account=owner,
            procedure_code=procedure_code,
            pinned_version=version.version,
            meta=meta.as_dict(),
        )
        self.save(draft, lookups=[owned(DOSSIERS, owner, draft.id)])
        return draft, True

    def draft(self, owner: str, draft_id: UUID) -> Dossier:
        draft = self.owned_dossier(owner, draft_id)
        if draft is None:
            raise DRAFT_NOT_FOUND
        return draft

    def _draft_at(self, owner: str, draft_id: UUID, expected_version: int | None) -> Dossier:
        draft = self.draft(owner, draft_id)
        if expected_version is not None and draft.version != expected_version:
            raise Refused(
                "draft_changed",
                "Hồ sơ nháp đã được thay đổi ở nơi khác (thiết bị hoặc cửa sổ khác). "
                "Vui lòng tải lại để xem nội dung mới nhất trước khi lưu.",
                "stale",
                current_version=draft.version,
            )
        return draft

    def edit_draft(
        self, owner: str, draft_id: UUID, expected_version: int, edit: DraftEdit, meta: CommandMeta
    ) -> Dossier:
        draft = self._draft_at(owner, draft_id, expected_version)
        draft.edit(
            form_data=edit.form_data,
            applicant=edit.applicant,
            delivery_mode=edit.delivery_mode,
            ward_code=edit.ward_code,
            meta=meta.as_dict(),
        )
        self.save(draft)
        return draft

    @blocking_command  # writes the file to the file store (S3 in production)
    def attach(
        self,
        owner: str,
        draft_id: UUID,
        document_code: str,
        content: bytes,
        meta: CommandMeta,
        expected_version: int | None = None,
    ) -> tuple[Dossier, Attachment]:
        draft = self._draft_at(owner, draft_id, expected_version)
        draft_rules = self._draft_rules(draft)
        if find(draft_rules.documents, document_code) is None:
            problem = unknown_document(document_code)
            raise Refused("unknown_document", problem.message, documents=[problem.as_dict()])
        sha256, media_type = accepted_file(content, self.max_upload_bytes)
        self.files.put(sha256, content, media_type)  # content-addressed: safe to repeat
        self.add_owned_file(owner, sha256, media_type, len(content))
        attachment = Attachment(
            sha256=sha256, document_code=document_code, media_type=media_type, size=len(content)
        )
        draft.attach(attachment, meta.as_dict())
        self.save(draft)
        return draft, attachment

    def delete_draft(self, owner: str, draft_id: UUID, meta: CommandMeta) -> None:
        draft = self.draft(owner, draft_id)
        draft.delete_draft(meta.as_dict())
        self.save(draft)

    def detach(self, owner: str, draft_id: UUID, sha256: str, meta: CommandMeta) -> Dossier:
        draft = self.draft(owner, draft_id)
        draft.detach(sha256, meta.as_dict())
        self.save(draft)
        return draft

    def _draft_rules(self, draft: Dossier) -> ProcedureRules:
        """The rules a draft is shown under: today's version (the one it will be filed under)."""
        return rules_of(self.version_in_force(draft.procedure_code))

    def draft_rules(self, draft: Dossier) -> ProcedureRules | None:
        version = self.catalog.in_force(draft.procedure_code, self.today())
        return rules_of(version) if version is not None else None

    # --- submission -----------------------------------------------------------------------

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
