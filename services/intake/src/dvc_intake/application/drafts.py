"""Drafts: started, edited, given files and taken back, each under the procedure version in
force today; submitting one is filing's (`filing.FilingCommands.submit_draft`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

from dvc_kernel.meta import CommandMeta
from dvc_kernel.store_commands import blocking_command

from ..domain.documents import find, unknown_document
from ..domain.dossier import Dossier, draft_id_for
from ..domain.eligibility import online_filing_refusal
from ..domain.files import accepted_file
from ..domain.papers import Applicant, Attachment
from ..domain.refusal import Refused
from ..projections.procedure_rules import ProcedureRules, rules_of
from .base import DOSSIERS, DRAFT_NOT_FOUND, IntakeBase, owned


@dataclass(frozen=True)
class DraftEdit:
    form_data: dict[str, Any]
    applicant: Applicant | None
    delivery_mode: str | None
    ward_code: str | None


class DraftCommands(IntakeBase):
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
