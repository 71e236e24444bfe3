"""Request bodies of processing's routes (answers are the read models of `projections/`)."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AssignBody(Body):
    officer_id: str = Field(min_length=1, description="Account id of an officer of the unit.")


class SupplementItemBody(Body):
    document_code: str | None = Field(None, description="Required document concerned, e.g. CT01.")
    description: str = Field(min_length=3, description="What is missing or wrong (Vietnamese).")


class SupplementBody(Body):
    items: list[SupplementItemBody] = Field(min_length=1, description="Everything needed, in one go.")
    round_reason: str | None = Field(
        None, description="Required from the second request on: a code from GET /v1/supplement-round-reasons."
    )


LEGAL_BASIS = (
    "Optional: the listed reason's legal basis, which is recorded when omitted; it may only be "
    "made more precise after a comma (e.g. `…, Điều 20, khoản 1`), never replaced by free text."
)


class ReasonBody(Body):
    reason_code: str = Field(min_length=1, description="From GET /v1/reasons.")
    legal_basis: str | None = Field(None, description=LEGAL_BASIS)
    explanation: str = Field(min_length=3, description="For the citizen, in Vietnamese.")


class DecisionBody(Body):
    outcome: Literal["approved", "refused"]
    summary: str | None = Field(None, description="What is granted (approval).")
    reason_code: str | None = None
    legal_basis: str | None = Field(None, description=LEGAL_BASIS)
    explanation: str | None = None


class ResultBody(Body):
    result_form: str = Field(min_length=2, description="Form of the result, e.g. CT08.")
    summary: str = Field(min_length=3, description="What the result says, in Vietnamese.")


class TransferBody(Body):
    to_unit: str = Field(min_length=3, description="Competent unit code.")
    reason: str = Field(min_length=3, description="Why it is transferred.")


class ApologyBody(Body):
    reason: str = Field(min_length=3, description="Why the result is late.")
    new_due_at: AwareDatetime = Field(description="The new appointment, with its offset.")


class ComplaintBody(Body):
    text: str = Field(min_length=10, max_length=4000, description="The complaint, in your words.")


class ResolutionBody(Body):
    resolution: str = Field(min_length=10, max_length=4000, description="The answer to the citizen.")
