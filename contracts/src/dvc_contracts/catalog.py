"""Public catalog events: procedure versions and police units, on compacted topics.

Other services keep a local replica of the catalog from these events, so a
`ProcedureVersionPublished` carries everything they need to accept, route, charge and time a
dossier; the latest event per key is the truth (the topics are compacted).
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

from pydantic import Field

from .base import ContractModel, EventPayload
from .topics import CATALOG_PROCEDURE, CATALOG_UNIT

UnitLevel = Literal["ministry", "province", "commune"]
DeliveryMode = Literal["e_result", "post", "pickup"]


class Citation(ContractModel):
    """A legal source."""

    document: str = Field(description="The legal instrument, e.g. `Luật Cư trú 68/2020/QH14`.")
    provision: str | None = Field(default=None, description="Article or clause, when known.")


class FormOption(ContractModel):
    """One allowed value of an enum field."""

    value: str = Field(description="Machine value stored in the form data.")
    label: str = Field(description="Vietnamese label shown to the citizen.")


class FormFieldSpec(ContractModel):
    """One field of a form and its validation rules (absent rules do not apply)."""

    name: str = Field(description="Key of the field in the submitted form data.")
    label: str = Field(description="Vietnamese label; validation messages name it.")
    type: Literal["text", "integer", "date", "enum", "boolean"] = Field(
        description="Value type; dates are ISO `YYYY-MM-DD`."
    )
    required: bool = Field(description="Whether a value must be given.")
    help: str | None = Field(default=None, description="Guidance shown next to the field.")
    pattern: str | None = Field(default=None, description="Regular expression a text must match.")
    pattern_hint: str | None = Field(
        default=None, description="Vietnamese description of `pattern` for error messages."
    )
    min_length: int | None = Field(default=None, description="Minimum text length.")
    max_length: int | None = Field(default=None, description="Maximum text length.")
    minimum: int | None = Field(default=None, description="Smallest allowed integer.")
    maximum: int | None = Field(default=None, description="Largest allowed integer.")
    options: list[FormOption] = Field(default_factory=list, description="Allowed enum values.")
    not_in_future: bool = Field(description="A date may not be after today (Vietnam time).")
    min_date: dt.date | None = Field(default=None, description="Earliest allowed date.")


class FormSpec(ContractModel):
    """A form (tờ khai) the citizen fills."""

    code: str = Field(description="Official form code, e.g. `CT01`.")
    name: str = Field(description="Vietnamese name of the form.")
    legal_basis: list[Citation] = Field(description="Instruments that prescribe the form.")
    fields: list[FormFieldSpec] = Field(description="Fields in form order.")


class DocumentSpec(ContractModel):
    """A paper the dossier must (or may) contain."""

    code: str | None = Field(
        default=None,
        description="Short stable identifier (`cho-o-hop-phap`, or the form code such as `CT01`): the "
        "`document_code` of uploads and supplement requests. Absent only in copies published before "
        "codes were assigned; the catalog republishes those versions with their codes.",
    )
    name: str = Field(description="Vietnamese name of the document.")
    form_code: str | None = Field(default=None, description="Form code when it is a form.")
    required: bool = Field(description="False when only some applicants must provide it.")
    condition: str | None = Field(default=None, description="When it is needed, in Vietnamese.")


class FeeItemSpec(ContractModel):
    """The fee for one case of the procedure."""

    case: str = Field(description="Machine code of the case, e.g. `theo_danh_sach`.")
    label: str = Field(description="Vietnamese description of the case.")
    in_person: int = Field(ge=0, description="Amount in integer VND when filed in person.")
    online: int = Field(ge=0, description="Amount in integer VND when filed online.")
    basis: Literal["per_dossier", "per_person", "per_item", "per_data_field"] = Field(
        description="What the amount is multiplied by."
    )


class ExemptionSpec(ContractModel):
    """A category of applicants who pay nothing."""

    code: str = Field(description="Machine code the applicant's status is matched against.")
    label: str = Field(description="Vietnamese description of who is exempt.")
    legal_basis: list[Citation] = Field(description="Where the exemption is granted.")


class FeeScheduleSpec(ContractModel):
    """All fees of the version; no items means free."""

    items: list[FeeItemSpec] = Field(description="Fee cases; empty when no fee is charged.")
    exemptions: list[ExemptionSpec] = Field(description="Who is exempt from these fees.")
    legal_basis: list[Citation] = Field(description="The fee instruments.")


class DeadlineRuleSpec(ContractModel):
    """The legal processing deadline, counted from a complete, valid dossier."""

    kind: Literal["immediate", "working_days", "half_working_days", "calendar_days"] = Field(
        description="Unit of `amount`; `immediate` means received and handled at once."
    )
    amount: int = Field(ge=0, description="Number of units; 0 for `immediate`.")
    saturday_morning_reception: bool = Field(
        description="Whether dossiers are received on Saturday mornings (residence)."
    )
    on_supplement: Literal["pause", "restart"] = Field(
        description="What a supplement request does to the clock."
    )


class DeadlineVariantSpec(ContractModel):
    """A case with a deadline of its own."""

    case: str = Field(description="Machine code of the case.")
    label: str = Field(description="Vietnamese description of the case.")
    rule: DeadlineRuleSpec = Field(description="The deadline in that case.")


class SubTypeSpec(ContractModel):
    """A sub-type portals list separately under the procedure."""

    code: str = Field(description="Machine code of the sub-type.")
    name: str = Field(description="Vietnamese name of the sub-type.")


class UnsureFactSpec(ContractModel):
    """A fact kept although its source could not be confirmed."""

    fact: str = Field(
        description="Dotted path of the fact in the catalog model, e.g. `fees` or `deadline.kind`."
    )
    note: str = Field(description="Why it is unsure and what was assumed.")


class ProcedureVersionPublished(EventPayload):
    """One version of a procedure, complete; keyed `<code>@v<version>` so the compacted topic
    keeps every version (a dossier keeps the version it was filed under)."""

    event_type: ClassVar[str] = "ProcedureVersionPublished"
    topic: ClassVar[str] = CATALOG_PROCEDURE.name

    code: str = Field(description="Catalog code: the national code, or `BCA-…` when none.")
    national_code: str | None = Field(description="National procedure code, e.g. `1.004194`.")
    version: int = Field(ge=1, description="Catalog version number, from 1.")
    effective_from: dt.date = Field(description="First day (Vietnam) this version is in force.")
    name: str = Field(description="Vietnamese name with full diacritics.")
    field_code: str = Field(description="Machine code of the field (lĩnh vực).")
    field_name: str = Field(description="Vietnamese name of the field.")
    level: int = Field(ge=1, le=4, description="Online service level 1-4 (Decree 43/2011).")
    sub_types: list[SubTypeSpec] = Field(description="Sub-types listed under the procedure.")
    documents: list[DocumentSpec] = Field(description="Papers the dossier contains.")
    form: FormSpec | None = Field(description="The form filled online, if any.")
    result: str = Field(description="What the citizen receives, in Vietnamese.")
    fees: FeeScheduleSpec = Field(description="Fees in integer VND and exemptions.")
    deadline: DeadlineRuleSpec = Field(description="The general legal deadline.")
    deadline_variants: list[DeadlineVariantSpec] = Field(description="Cases with deadlines of their own.")
    unit_level: UnitLevel = Field(description="Level of the competent police unit.")
    ministry_department_code: str | None = Field(
        description="Deciding Ministry department (unit code) for ministry-level procedures."
    )
    delivery_modes: list[DeliveryMode] = Field(description="Allowed ways to receive the result.")
    payment_timing: Literal["before_submission", "after_acceptance", "none"] = Field(
        description="When the fee is paid."
    )
    legal_basis: list[Citation] = Field(description="Legal basis of the procedure.")
    unsure_facts: list[UnsureFactSpec] = Field(description="Facts not confirmed at source.")


class UnitPublished(EventPayload):
    """A police unit or Ministry department; keyed by unit code (compacted topic)."""

    event_type: ClassVar[str] = "UnitPublished"
    topic: ClassVar[str] = CATALOG_UNIT.name

    code: str = Field(description="Unit code: `C06`, `CAT-<province>`, `CAX-<ward>`.")
    name: str = Field(description="Vietnamese name, e.g. `Công an phường Hoàn Kiếm`.")
    short_name: str | None = Field(description="Abbreviation, e.g. `C06`.")
    level: UnitLevel = Field(description="Ministry department, province police or commune police.")
    admin_code: str | None = Field(description="Administrative division code the unit serves.")
    province_code: str | None = Field(description="Two-digit code of the unit's province.")
    parent_code: str | None = Field(description="Superior unit code (province unit of a commune).")
