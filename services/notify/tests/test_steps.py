"""The citizen hears about every step of their dossier, its fee and its result, in Vietnamese,
by a short SMS and by an e-mail with a subject and the details."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
import yaml

from dvc_contracts import EVENT_TYPES, EventPayload
from dvc_contracts.delivery import ResultDelivered
from dvc_notify.application import load_templates
from dvc_notify.domain.steps import Step, step_message

AT = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)  # 10:00 in Hà Nội
CODE = "261123-K7M3Q9-4"
TEMPLATES = load_templates()
IDS = {"dossier_id": uuid4(), "dossier_code": CODE}
VIETNAMESE = set("ăâđêôơưáàảãạếềểễệốồổỗộớờởỡợứừửữựíìỉĩịúùủũụýỳỷỹỵóòỏõọéèẻẽẹ")


def place(unit_code: str | None) -> str:
    return "Công an phường Hoàn Kiếm" if unit_code == "CAX-00004" else "Công an đơn vị giải quyết"


def _example(row: dict[str, Any]) -> tuple[EventPayload, str, list[str]]:
    cls = EVENT_TYPES[row["event"]]
    ids = {name: value for name, value in IDS.items() if name in cls.model_fields}
    return cls.model_validate({**ids, **row["fields"]}), row["template"], row["says"]


# One event of every type a citizen is told about, with the text each must carry.
EVENTS: list[tuple[EventPayload, str, list[str]]] = [
    _example(row) for row in yaml.safe_load((Path(__file__).parent / "step_events.yaml").read_text("utf-8"))
]


def event(template: str) -> EventPayload:
    return next(payload for payload, t, _ in EVENTS if t == template)


def render(payload: EventPayload) -> tuple[Step, str, str, str]:
    step = step_message(payload, TEMPLATES, place)
    assert step is not None, payload
    params = {"full_name": "Nguyễn Thị Hoa", "dossier_code": CODE, **step.params}
    email = TEMPLATES.render_email(step.template, params)
    return step, TEMPLATES.render_sms(step.template, params), email.subject, email.body


@pytest.mark.parametrize(
    ("payload", "template", "says"), EVENTS, ids=[f"{p.event_type}-{t}" for p, t, _ in EVENTS]
)
def test_each_event_gives_a_vietnamese_sms_and_email(
    payload: EventPayload, template: str, says: list[str]
) -> None:
    step, sms, subject, body = render(payload)

    assert step.template == template
    assert sms.startswith("Bộ Công an") and CODE in sms and VIETNAMESE & set(sms)
    assert len(sms) <= 3 * 67, "at most three parts of a Unicode SMS"
    assert CODE in subject and VIETNAMESE & set(subject)
    assert body.startswith("Kính gửi ông/bà Nguyễn Thị Hoa") and "Cổng dịch vụ công Bộ Công an" in body
    for text in says:
        assert text in sms or text in body, text
    assert "{" not in sms + subject + body, "every placeholder is filled"


def test_every_template_is_used_by_some_event() -> None:
    used = {template for _, template, _ in EVENTS}
    assert used == set(TEMPLATES.sms) == set(TEMPLATES.email)


def test_a_supplement_request_lists_every_item() -> None:
    _, sms, _, body = render(event("supplement_requested"))
    assert f"{CODE} cần bổ sung: Tờ khai CT01 thiếu chữ ký chủ hộ; Hợp đồng thuê nhà có công chứng" in sms
    assert "- Tờ khai CT01 thiếu chữ ký chủ hộ\n- Hợp đồng thuê nhà có công chứng" in body


def test_a_rejection_gives_the_reason_and_the_legal_basis() -> None:
    _, sms, _, body = render(event("rejected"))
    assert "Lý do: Hợp đồng thuê nhà không có thật." in sms
    assert "Căn cứ: Luật Cư trú 68/2020/QH14, Điều 7" in sms
    assert "Căn cứ pháp lý: Luật Cư trú 68/2020/QH14, Điều 7" in body


def test_the_fee_due_says_how_to_pay() -> None:
    _, _, _, body = render(event("fee_due_on_submission"))
    assert "Hình thức nộp: cổng thanh toán trực tuyến; chuyển khoản bằng mã VietQR." in body
    assert "chỉ được xử lý sau khi ông/bà nộp đủ" in body


def test_pickup_says_what_to_bring_and_where() -> None:
    _, sms, _, body = render(event("ready_for_pickup"))
    assert "sẵn sàng tại Công an phường Hoàn Kiếm" in sms
    assert "- Căn cước\n- Giấy hẹn trả kết quả" in body


def test_the_e_result_email_carries_the_signed_file() -> None:
    step = step_message(event("result_e_dispatched"), TEMPLATES, place)
    assert step is not None and step.attach_result_sha256 == "a" * 64


def test_nothing_to_pay_is_not_a_message() -> None:
    free = event("fee_due_on_submission").model_copy(update={"amount_vnd": 0})
    assert step_message(free, TEMPLATES, place) is None


def test_an_e_result_delivered_is_not_announced_twice() -> None:
    """The e-mail carrying the e-result is itself the news."""
    delivered = ResultDelivered(**IDS, channel="e_result", detail="Đã gửi", delivered_at=AT)
    assert step_message(delivered, TEMPLATES, place) is None
