"""Request and response bodies of intake's HTTP API."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, cast
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from dvc_kernel.text import EmailAddress, PersonName

from ..domain.dossier import Dossier
from ..domain.dossier_status import STATUS_LABELS
from ..domain.papers import Applicant, FileRef
from ..projections.procedure_rules import ProcedureRules

DeliveryMode = Literal["e_result", "post", "pickup"]
WARD_PATTERN = r"^\d{5}$"
WARD_HELP = "Code of the commune/ward of the address (mã xã, phường, đặc khu): it decides the unit."


class In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ApplicantIn(In):
    id_number: str = Field(pattern=r"^\d{12}$", description="12-digit personal ID number.")
    full_name: PersonName
    date_of_birth: dt.date = Field(description="Checked with the name against the population registry.")
    phone: str = Field(pattern=r"^0\d{9}$", description="Mobile number, 10 digits from 0.")
    email: EmailAddress | None = None

    def data(self) -> Applicant:
        """As the dossier keeps it: JSON values (the date as ISO 8601), checked above."""
        return cast(Applicant, self.model_dump(mode="json"))


class AttachmentIn(In):
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="Hash returned when the file was uploaded.")
    document_code: str = Field(min_length=1, max_length=100, description="Which paper of the procedure.")

    def ref(self) -> FileRef:
        return FileRef(sha256=self.sha256, document_code=self.document_code)


class SubmitDossier(In):
    procedure_code: str = Field(
        pattern=r"^([1-3]\.\d{6}|BCA-[A-Z0-9]+(-[A-Z0-9]+)*)$",
        examples=["1.004194"],
        description="Catalog code of the procedure; the version in force today applies.",
    )
    applicant: ApplicantIn
    delivery_mode: DeliveryMode
    ward_code: str = Field(pattern=WARD_PATTERN, description=WARD_HELP)
    form_data: dict[str, Any] = Field(default_factory=dict)
    attachments: list[AttachmentIn] = Field(default_factory=list, description="Files uploaded to /v1/files.")


class StartDraft(In):
    procedure_code: str = Field(pattern=r"^([1-3]\.\d{6}|BCA-[A-Z0-9]+(-[A-Z0-9]+)*)$", examples=["1.003677"])


class UpdateDraft(In):
    """The whole draft as it should now be saved (fields left out are cleared)."""

    applicant: ApplicantIn | None = None
    delivery_mode: DeliveryMode | None = None
    ward_code: str | None = Field(None, pattern=WARD_PATTERN, description=WARD_HELP)
    form_data: dict[str, Any] = Field(default_factory=dict)


class AttachmentOut(BaseModel):
    sha256: str
    document_code: str
    media_type: str
    size: int


class FileOut(BaseModel):
    sha256: str
    media_type: str
    size: int


class DocumentOut(BaseModel):
    code: str = Field(description="Give it as `document_code` when attaching.")
    name: str
    required: bool
    condition: str | None
    filled_online: bool = Field(description="The procedure's own form: filling it online is enough.")
    attached: bool


class DraftOut(BaseModel):
    draft_id: UUID
    version: int = Field(description="Send it back in If-Match when saving (also the ETag).")
    status: str
    procedure_code: str
    pinned_version: int = Field(description="The version in force when the draft was started.")
    version_in_force: int | None = Field(description="The version a submission today is filed under.")
    procedure_name: str | None
    form_code: str | None
    applicant: dict[str, Any] | None
    delivery_mode: str | None
    ward_code: str | None
    form_data: dict[str, Any]
    attachments: list[AttachmentOut]
    documents: list[DocumentOut]
    dossier_code: str | None = Field(description="Set once the draft is submitted.")

    @classmethod
    def of(cls, draft: Dossier, rules: ProcedureRules | None) -> DraftOut:
        attached = {a["document_code"] for a in draft.attachments}
        documents = [
            DocumentOut(
                code=d.code,
                name=d.name,
                required=d.required,
                condition=d.condition,
                filled_online=d.filled_online,
                attached=d.code in attached,
            )
            for d in (rules.documents if rules else ())
        ]
        return cls(
            draft_id=draft.id,
            version=draft.version,
            status=draft.status.value,
            procedure_code=draft.procedure_code,
            pinned_version=draft.pinned_version,
            version_in_force=rules.version if rules else None,
            procedure_name=rules.name if rules else None,
            form_code=rules.form.code if rules and rules.form else None,
            applicant=draft.applicant,
            delivery_mode=draft.delivery_mode,
            ward_code=draft.ward_code,
            form_data=draft.form_data,
            attachments=[AttachmentOut.model_validate(a) for a in draft.attachments],
            documents=documents,
            dossier_code=draft.code,
        )


class SupplementOut(BaseModel):
    request_id: UUID
    items: list[dict[str, Any]] = Field(description="What the officer asked for: document_code, description.")


class DossierOut(BaseModel):
    dossier_id: UUID
    dossier_code: str
    status: str = Field(description="The status as intake knows it from processing's events.")
    status_label: str
    procedure_code: str
    procedure_version: int
    unit_code: str | None
    delivery_mode: str | None
    submitted_at: dt.datetime
    form_data: dict[str, Any]
    attachments: list[AttachmentOut]
    supplement: SupplementOut | None = Field(description="The open supplement request, if any.")
    withdrawal_reason: str | None = None

    @classmethod
    def of(cls, dossier: Dossier) -> DossierOut:
        assert dossier.code is not None and dossier.submitted_at is not None
        return cls(
            dossier_id=dossier.id,
            dossier_code=dossier.code,
            status=dossier.status.value,
            status_label=STATUS_LABELS[dossier.status],
            procedure_code=dossier.procedure_code,
            procedure_version=dossier.procedure_version or dossier.pinned_version,
            unit_code=dossier.unit_code,
            delivery_mode=dossier.delivery_mode,
            submitted_at=dossier.submitted_at,
            form_data=dossier.form_data,
            attachments=[AttachmentOut.model_validate(a) for a in dossier.attachments],
            supplement=SupplementOut.model_validate(dossier.supplement) if dossier.supplement else None,
            withdrawal_reason=dossier.withdrawal_reason,
        )


class SupplementIn(In):
    request_id: UUID | None = Field(None, description="The request answered; defaults to the open one.")
    form_data: dict[str, Any] = Field(default_factory=dict, description="Changed fields; null clears one.")
    attachments: list[AttachmentIn] = Field(default_factory=list, description="Files uploaded to /v1/files.")
    note: str | None = Field(None, max_length=2000, description="A note to the officer.")


class WithdrawIn(In):
    reason: str | None = Field(None, max_length=1000)


class GuestIn(In):
    id_number: str = Field(pattern=r"^\d{12}$", description="12-digit personal ID number.")
    full_name: PersonName
    date_of_birth: dt.date | None = Field(None, description="Required for notices from 01/07/2026.")
    arrived_at: AwareDatetime = Field(
        description="Arrival, with its UTC offset, e.g. 2026-11-23T22:40:00+07:00."
    )
    stay_from: dt.date
    stay_until: dt.date


class NoticeIn(In):
    establishment: str = Field(min_length=1, max_length=200, description="Host or establishment name.")
    ward_code: str = Field(pattern=WARD_PATTERN, description="Ward of the lodging.")
    address: str = Field(min_length=1, max_length=300, description="Street address of the lodging.")
    guests: list[GuestIn] = Field(min_length=1)


class NoticeOut(BaseModel):
    notice_id: UUID
    notice_code: str
    unit_code: str = Field(description="Commune police unit that received it.")
    filed_at: dt.datetime
    establishment: str
    ward_code: str
    address: str
    guests: list[dict[str, Any]]
    received_at: dt.datetime | None = Field(None, description="When the commune police received it.")
    verdicts: list[dict[str, Any]] | None = Field(
        None,
        description="Guest by guest (id_number, arrived_at, due_at, on_time): whether the notice was on "
        "time (Law on Residence Art. 30 cl. 4); null until the police have received it.",
    )
