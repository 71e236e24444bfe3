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
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from dvc_contracts.status import DossierStatus as Status
from dvc_kernel.event_meta import EventMeta

from .dossier_drafting import Drafting
from .dossier_status import DECIDED, IN_HANDLING
from .papers import Applicant, Attachment
from .refusal import Refused

__all__ = [
    "DECIDED",
    "IN_HANDLING",
    "Dossier",
    "DossierCodeIndex",
    "Status",
    "dossier_id_for",
    "draft_id_for",
]

_DOSSIER_NS = uuid5(NAMESPACE_URL, "https://dichvucong.bocongan.gov.vn/dossier")
_CODE_NS = uuid5(NAMESPACE_URL, "https://dichvucong.bocongan.gov.vn/dossier-code")


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


class Dossier(Drafting):
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
        self.applicant: Applicant | None = None
        self.delivery_mode: str | None = None
        self.ward_code: str | None = None
        self.unit_code: str | None = None
        self.form_data: dict[str, Any] = {}
        self.attachments: list[Attachment] = []
        self.submitted_at: datetime | None = None
        self.submit_key: str | None = None
        self.request_fingerprint: str | None = None
        self.supplement: dict[str, Any] | None = None  # {"request_id": str, "items": [...]}
        self.resubmissions: dict[str, str] = {}  # idempotency key -> supplement request id
        self.withdrawal_reason: str | None = None
        self.deleted = False  # a draft its owner deleted: found by nobody any more

    # --- filing ---------------------------------------------------------------------------

    class Submitted(Aggregate.Event):
        """Everything filed, under the procedure version in force on the day of submission."""

        code: str
        procedure_code: str
        owner_account: str
        procedure_version: int
        applicant: Applicant
        unit_code: str
        ward_code: str
        delivery_mode: str
        form_data: dict[str, Any]
        attachments: list[Attachment]
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
        added: list[Attachment]
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
        added: list[Attachment],
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
