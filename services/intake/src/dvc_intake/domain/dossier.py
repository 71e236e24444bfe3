"""A dossier application: a draft the citizen fills and resumes, then a filed dossier.

The aggregate starts as a draft (`Started`), is edited and given attachments, and becomes a
dossier with `Submitted`, which carries everything filed (the version in force on the day of
submission, the competent unit, the form, the files). After that intake mirrors what
processing reports, so the citizen can answer a supplement request or withdraw while the
dossier is undecided.

Commands check their rule and raise `Refused`; the `@event` methods only record. Reports from
processing never raise: a consumed event that does not fit is ignored, not retried forever.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from dvc_kernel.event_meta import EventMeta

from .refusal import Refused

_DOSSIER_NS = uuid5(NAMESPACE_URL, "https://dichvucong.bocongan.gov.vn/dossier")
_CODE_NS = uuid5(NAMESPACE_URL, "https://dichvucong.bocongan.gov.vn/dossier-code")


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RECEIVED = "received"
    ACCEPTED = "accepted"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    RESUBMITTED = "resubmitted"
    APPROVED = "approved"
    REFUSED = "refused"
    REJECTED = "rejected"
    RESULT_ISSUED = "result_issued"
    WITHDRAWN = "withdrawn"


STATUS_LABELS = {
    Status.DRAFT: "Hồ sơ nháp, chưa nộp",
    Status.SUBMITTED: "Đã nộp, chờ tiếp nhận",
    Status.RECEIVED: "Đã tiếp nhận, chờ kiểm tra",
    Status.ACCEPTED: "Đang giải quyết",
    Status.SUPPLEMENT_REQUESTED: "Cần bổ sung hồ sơ",
    Status.RESUBMITTED: "Đã bổ sung, chờ tiếp nhận",
    Status.APPROVED: "Đã phê duyệt, đang trả kết quả",
    Status.REFUSED: "Không giải quyết",
    Status.REJECTED: "Từ chối tiếp nhận",
    Status.RESULT_ISSUED: "Đã có kết quả",
    Status.WITHDRAWN: "Đã rút hồ sơ",
}
DECIDED = frozenset({Status.APPROVED, Status.REFUSED, Status.REJECTED, Status.RESULT_ISSUED})
# Statuses a non-deciding report from processing may move the dossier between.
IN_HANDLING = frozenset({Status.SUBMITTED, Status.RECEIVED, Status.ACCEPTED, Status.RESUBMITTED})


def dossier_id_for(owner: str, idempotency_key: str) -> UUID:
    """The same request, retried with its idempotency key, lands on the same dossier."""
    return uuid5(_DOSSIER_NS, f"{owner}\x1f{idempotency_key}")


def draft_id_for(owner: str, idempotency_key: str) -> UUID:
    return uuid5(_DOSSIER_NS, f"draft\x1f{owner}\x1f{idempotency_key}")


# What a dossier takes over from its Submitted event as it is.
FILED = (
    "code",
    "procedure_version",
    "applicant",
    "unit_code",
    "ward_code",
    "delivery_mode",
    "form_data",
    "attachments",
    "submitted_at",
    "submit_key",
    "request_fingerprint",
)

NOT_A_DRAFT = "Hồ sơ đã được nộp nên không thể sửa bản nháp. Vui lòng theo dõi hồ sơ theo mã hồ sơ."


class Dossier(Aggregate):
    class Started(Aggregate.Created):
        owner_account: str
        procedure_code: str
        pinned_version: int
        meta: EventMeta

    @event(Started)
    def __init__(
        self, id: UUID, owner_account: str, procedure_code: str, pinned_version: int, meta: EventMeta
    ) -> None:
        self.owner_account = owner_account
        self.procedure_code = procedure_code
        self.pinned_version = pinned_version  # shown while drafting; filing uses the day's version
        self.procedure_version: int | None = None
        self.status = Status.DRAFT
        self.code: str | None = None
        self.applicant: dict[str, Any] | None = None
        self.delivery_mode: str | None = None
        self.ward_code: str | None = None
        self.unit_code: str | None = None
        self.form_data: dict[str, Any] = {}
        self.attachments: list[dict[str, Any]] = []
        self.submitted_at: datetime | None = None
        self.submit_key: str | None = None
        self.request_fingerprint: str | None = None
        self.supplement: dict[str, Any] | None = None  # {"request_id": str, "items": [...]}
        self.resubmissions: dict[str, str] = {}  # idempotency key -> supplement request id
        self.withdrawal_reason: str | None = None
        self.deleted = False  # a draft its owner deleted: found by nobody any more

    # --- drafting -------------------------------------------------------------------------

    @property
    def is_draft(self) -> bool:
        return self.status is Status.DRAFT

    def _require_draft(self) -> None:
        if not self.is_draft:
            raise Refused("draft_already_submitted", NOT_A_DRAFT, "conflict")

    class Edited(Aggregate.Event):
        form_data: dict[str, Any]
        applicant: dict[str, Any] | None
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

    def attach(self, attachment: dict[str, Any], meta: EventMeta) -> bool:
        """Adds a file to the draft; False when the same file is already there for that paper."""
        self._require_draft()
        key = (attachment["sha256"], attachment["document_code"])
        if any((a["sha256"], a["document_code"]) == key for a in self.attachments):
            return False
        self._attached(attachment, meta)
        return True

    @event("Attached")
    def _attached(self, attachment: dict[str, Any], meta: EventMeta) -> None:
        self.attachments = [*self.attachments, attachment]

    def detach(self, sha256: str, meta: EventMeta) -> None:
        self._require_draft()
        if not any(a["sha256"] == sha256 for a in self.attachments):
            raise Refused("attachment_not_found", "Bản nháp không có tệp đính kèm này.", "not_found")
        self._detached(sha256, meta)

    @event("Detached")
    def _detached(self, sha256: str, meta: EventMeta) -> None:
        self.attachments = [a for a in self.attachments if a["sha256"] != sha256]

    def delete_draft(self, meta: EventMeta) -> None:
        """The owner no longer wants the draft; a submitted dossier is withdrawn, not deleted."""
        self._require_draft()
        self._draft_deleted(meta)

    @event("DraftDeleted")
    def _draft_deleted(self, meta: EventMeta) -> None:
        self.deleted = True
        self.form_data = {}
        self.applicant = None
        self.attachments = []

    # --- filing ---------------------------------------------------------------------------

    class Submitted(Aggregate.Event):
        """Everything filed, under the procedure version in force on the day of submission."""

        code: str
        procedure_code: str
        owner_account: str
        procedure_version: int
        applicant: dict[str, Any]
        unit_code: str
        ward_code: str
        delivery_mode: str
        form_data: dict[str, Any]
        attachments: list[dict[str, Any]]
        submitted_at: datetime
        submit_key: str
        request_fingerprint: str | None
        meta: EventMeta

        def apply(self, dossier: Any) -> None:
            for name in FILED:
                setattr(dossier, name, getattr(self, name))
            dossier.status = Status.SUBMITTED

    def submit(self, **filed: Any) -> None:
        """Files the draft: `filed` holds the fields of `Submitted` but the procedure and the
        owner, which the draft has. The rules of the procedure were checked by the caller
        against the version in force."""
        self._require_draft()
        self.trigger_event(
            self.Submitted, procedure_code=self.procedure_code, owner_account=self.owner_account, **filed
        )

    # --- the citizen after submission -----------------------------------------------------

    class Resubmitted(Aggregate.Event):
        code: str
        request_id: str
        form_data: dict[str, Any]
        added: list[dict[str, Any]]
        note: str | None
        resubmitted_at: datetime
        idempotency_key: str
        meta: EventMeta

        def apply(self, dossier: Any) -> None:
            dossier.form_data = self.form_data
            dossier.attachments = [*dossier.attachments, *self.added]
            dossier.supplement = None
            dossier.resubmissions = {**dossier.resubmissions, self.idempotency_key: self.request_id}
            dossier.status = Status.RESUBMITTED

    def resubmit(
        self,
        *,
        request_id: UUID | None,
        form_data: dict[str, Any],
        added: list[dict[str, Any]],
        note: str | None,
        at: datetime,
        idempotency_key: str,
        meta: EventMeta,
    ) -> None:
        if self.supplement is None or self.status is not Status.SUPPLEMENT_REQUESTED:
            raise Refused(
                "no_supplement_requested",
                "Hồ sơ không có yêu cầu bổ sung đang chờ nên chưa thể nộp bổ sung.",
                "conflict",
            )
        open_id = self.supplement["request_id"]
        if request_id is not None and str(request_id) != open_id:
            raise Refused(
                "supplement_request_mismatch",
                "Yêu cầu bổ sung này đã được thay bằng yêu cầu mới. Vui lòng tải lại hồ sơ.",
                "conflict",
            )
        self.trigger_event(
            self.Resubmitted,
            code=self.code or "",
            request_id=open_id,
            form_data=form_data,
            added=added,
            note=note,
            resubmitted_at=at,
            idempotency_key=idempotency_key,
            meta=meta,
        )

    class Withdrawn(Aggregate.Event):
        code: str
        reason: str | None
        withdrawn_at: datetime
        meta: EventMeta

        def apply(self, dossier: Any) -> None:
            dossier.withdrawal_reason = self.reason
            dossier.supplement = None
            dossier.status = Status.WITHDRAWN

    def withdraw(self, reason: str | None, at: datetime, meta: EventMeta) -> bool:
        """False when it was already withdrawn (a retried request changes nothing)."""
        if self.is_draft:
            raise Refused("dossier_not_submitted", "Hồ sơ chưa được nộp nên không có gì để rút.", "conflict")
        if self.status is Status.WITHDRAWN:
            return False
        if self.status in DECIDED:
            raise Refused(
                "dossier_already_decided",
                "Hồ sơ đã có quyết định giải quyết nên không thể rút.",
                "conflict",
                status=self.status.value,
            )
        self.trigger_event(self.Withdrawn, code=self.code or "", reason=reason, withdrawn_at=at, meta=meta)
        return True

    # --- what processing reports ----------------------------------------------------------

    def note_supplement_requested(
        self, request_id: UUID, items: list[dict[str, Any]], meta: EventMeta
    ) -> None:
        if self.status in IN_HANDLING or self.status is Status.SUPPLEMENT_REQUESTED:
            self._supplement_opened(str(request_id), items, meta)

    @event("SupplementOpened")
    def _supplement_opened(self, request_id: str, items: list[dict[str, Any]], meta: EventMeta) -> None:
        self.supplement = {"request_id": request_id, "items": items}
        self.status = Status.SUPPLEMENT_REQUESTED

    def note_processing(self, status: Status, unit_code: str | None, meta: EventMeta) -> None:
        """A status processing reports. A decision always counts (it closes any open
        supplement); other news never moves a withdrawn or decided dossier back."""
        decision = status in DECIDED
        ends = status is Status.WITHDRAWN and self.status is not Status.WITHDRAWN
        moved = unit_code is not None and unit_code != self.unit_code
        progress = self.status in IN_HANDLING and (status is not self.status or moved)
        if decision or ends or progress:
            self._processing_reported(status.value, unit_code, meta)

    @event("ProcessingReported")
    def _processing_reported(self, status: str, unit_code: str | None, meta: EventMeta) -> None:
        self.status = Status(status)
        if unit_code:
            self.unit_code = unit_code
        if self.status in DECIDED:
            self.supplement = None


class DossierCodeIndex(Aggregate):
    """Reserves a code: its id is derived from the code, so a code exists only once. Dossiers
    and lodging notices share it, so no code ever names two things."""

    @staticmethod
    def id_for(code: str) -> UUID:
        return uuid5(_CODE_NS, code)

    @event("Reserved")
    def __init__(self, id: UUID, code: str, dossier_id: UUID) -> None:
        self.code = code
        self.dossier_id = dossier_id  # the dossier or notice holding the code
