"""A dossier while it is a draft: the citizen edits it, attaches files and removes them, or
deletes it. Each event is declared once, with what it changes (`apply`); `dossier.Dossier`
combines this with filing and what processing reports."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from eventsourcing.domain import Aggregate

from dvc_contracts.status import DossierStatus as Status
from dvc_kernel.event_meta import EventMeta

from .papers import Applicant, Attachment
from .refusal import Refused

NOT_A_DRAFT = "Hồ sơ đã được nộp nên không thể sửa bản nháp. Vui lòng theo dõi hồ sơ theo mã hồ sơ."


class Drafting(Aggregate):
    # Declared for type checking only: annotations on an aggregate class would make
    # eventsourcing derive a "created" event from them.
    if TYPE_CHECKING:
        status: Status
        form_data: dict[str, Any]
        applicant: Applicant | None
        delivery_mode: str | None
        ward_code: str | None
        attachments: list[Attachment]
        deleted: bool
        submitted_at: datetime | None

    @property
    def is_draft(self) -> bool:
        return self.status is Status.DRAFT

    def _require_draft(self) -> None:
        if not self.is_draft:
            raise Refused("draft_already_submitted", NOT_A_DRAFT, "conflict")

    class Edited(Aggregate.Event):
        form_data: dict[str, Any]
        applicant: Applicant | None
        delivery_mode: str | None
        ward_code: str | None
        meta: EventMeta

        def apply(self, dossier: Any) -> None:
            dossier.form_data = self.form_data
            dossier.applicant = self.applicant
            dossier.delivery_mode = self.delivery_mode
            dossier.ward_code = self.ward_code

    def edit(self, **edited: Any) -> None:
        """Replaces what the draft says: `edited` holds the fields of `Edited`."""
        self._require_draft()
        self.trigger_event(self.Edited, **edited)

    class Attached(Aggregate.Event):
        attachment: Attachment
        meta: EventMeta

        def apply(self, dossier: Any) -> None:
            dossier.attachments = [*dossier.attachments, self.attachment]

    def attach(self, attachment: Attachment, meta: EventMeta) -> bool:
        """Adds a file to the draft; False when the same file is already there for that paper."""
        self._require_draft()
        key = (attachment["sha256"], attachment["document_code"])
        if any((a["sha256"], a["document_code"]) == key for a in self.attachments):
            return False
        self.trigger_event(self.Attached, attachment=attachment, meta=meta)
        return True

    class Detached(Aggregate.Event):
        sha256: str
        meta: EventMeta

        def apply(self, dossier: Any) -> None:
            dossier.attachments = [a for a in dossier.attachments if a["sha256"] != self.sha256]

    def detach(self, sha256: str, meta: EventMeta) -> None:
        self._require_draft()
        if not any(a["sha256"] == sha256 for a in self.attachments):
            raise Refused("attachment_not_found", "Bản nháp không có tệp đính kèm này.", "not_found")
        self.trigger_event(self.Detached, sha256=sha256, meta=meta)

    class DraftDeleted(Aggregate.Event):
        meta: EventMeta

        def apply(self, dossier: Any) -> None:
            dossier.deleted = True
            dossier.form_data = {}
            dossier.applicant = None
            dossier.attachments = []

    def delete_draft(self, meta: EventMeta) -> None:
        """The owner no longer wants the draft; a submitted dossier is withdrawn, not deleted."""
        self._require_draft()
        self.trigger_event(self.DraftDeleted, meta=meta)
