"""The citizen hears about every step of their dossier, in Vietnamese, with what matters."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

from dvc_contracts.case import SupplementItem, SupplementRequested
from dvc_contracts.dossier import RejectedWithReason
from dvc_notify.application import load_templates
from dvc_notify.steps import step_message

AT = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
TEMPLATES = load_templates()


def render(payload: object) -> str:
    found = step_message(payload)  # type: ignore[arg-type]
    assert found is not None
    template, params = found
    return TEMPLATES.render_sms(template, {"full_name": "Nguyễn Thị Hoa", **params})


def test_a_supplement_request_lists_every_item() -> None:
    text = render(
        SupplementRequested(
            dossier_id=uuid4(),
            dossier_code="261123-K7M3Q9-4",
            request_id=uuid4(),
            clock="restarts",
            items=[
                SupplementItem(document_code="CT01", description="Tờ khai CT01 thiếu chữ ký chủ hộ"),
                SupplementItem(description="Hợp đồng thuê nhà có công chứng"),
            ],
            requested_at=AT,
        )
    )
    assert "261123-K7M3Q9-4 cần bổ sung" in text
    assert "Tờ khai CT01 thiếu chữ ký chủ hộ; Hợp đồng thuê nhà có công chứng" in text


def test_a_rejection_gives_the_reason_and_the_legal_basis() -> None:
    text = render(
        RejectedWithReason(
            dossier_id=uuid4(),
            dossier_code="261123-K7M3Q9-4",
            reason_code="giay_to_gia_mao",
            legal_basis="Luật Cư trú 68/2020/QH14, Điều 7",
            explanation="Hợp đồng thuê nhà không có thật.",
            rejected_at=AT,
        )
    )
    assert "Lý do: Hợp đồng thuê nhà không có thật." in text
    assert "Căn cứ: Luật Cư trú 68/2020/QH14, Điều 7" in text
