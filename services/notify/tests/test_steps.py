"""The citizen hears about every step of their dossier, its fee and its result, in Vietnamese,
by a short SMS and by an e-mail with a subject and the details."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from dvc_contracts import EventPayload
from dvc_contracts.case import (
    ApologyIssued,
    Approved,
    Refused,
    ResubmissionReceived,
    SupplementItem,
    SupplementRequested,
    Transferred,
    WithdrawalAcknowledged,
)
from dvc_contracts.complaint import ComplaintResolved
from dvc_contracts.delivery import (
    Collected,
    DeliveryFailed,
    PickupBooked,
    PostalAddress,
    ReadyForPickup,
    ResultDelivered,
    ResultDispatched,
)
from dvc_contracts.dossier import Accepted, FeePaid, Received, RejectedWithReason, ResultIssued
from dvc_contracts.payment import FeeAssessed, Refunded
from dvc_notify.application import load_templates
from dvc_notify.domain.steps import Step, step_message

AT = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)  # 10:00 in Hà Nội
CODE = "261123-K7M3Q9-4"
TEMPLATES = load_templates()
IDS = {"dossier_id": uuid4(), "dossier_code": CODE}
VIETNAMESE = set("ăâđêôơưáàảãạếềểễệốồổỗộớờởỡợứừửữựíìỉĩịúùủũụýỳỷỹỵóòỏõọéèẻẽẹ")


def place(unit_code: str | None) -> str:
    return "Công an phường Hoàn Kiếm" if unit_code == "CAX-00004" else "Công an đơn vị giải quyết"


# One event of every type a citizen is told about, with the text each must carry.
EVENTS: list[tuple[EventPayload, str, list[str]]] = [
    (
        Received(
            **IDS, procedure_code="1.004194", received_at=AT, due_at=datetime(2026, 11, 27, 10, tzinfo=UTC)
        ),
        "dossier_received",
        ["đã được tiếp nhận lúc 10:00 ngày 24/11/2026", "Hẹn trả kết quả: 17:00 ngày 27/11/2026"],
    ),
    (
        Received(**IDS, procedure_code="1.004194", received_at=AT),
        "dossier_received_no_due",
        ["đã được tiếp nhận lúc 10:00 ngày 24/11/2026"],
    ),
    (
        SupplementRequested(
            **IDS,
            request_id=uuid4(),
            clock="restarts",
            items=[
                SupplementItem(document_code="CT01", description="Tờ khai CT01 thiếu chữ ký chủ hộ"),
                SupplementItem(description="Hợp đồng thuê nhà có công chứng"),
            ],
            requested_at=AT,
        ),
        "supplement_requested",
        ["Tờ khai CT01 thiếu chữ ký chủ hộ", "Hợp đồng thuê nhà có công chứng"],
    ),
    (
        ResubmissionReceived(**IDS, request_id=uuid4(), received_at=AT, due_at=AT, due_explanation=[]),
        "resubmission_received",
        ["Đã tiếp nhận hồ sơ bổ sung", "10:00 ngày 24/11/2026"],
    ),
    (Accepted(**IDS, accepted_at=AT), "accepted", ["hợp lệ"]),
    (
        RejectedWithReason(
            **IDS,
            reason_code="giay_to_gia_mao",
            legal_basis="Luật Cư trú 68/2020/QH14, Điều 7",
            explanation="Hợp đồng thuê nhà không có thật.",
            rejected_at=AT,
        ),
        "rejected",
        ["Hợp đồng thuê nhà không có thật.", "Luật Cư trú 68/2020/QH14, Điều 7"],
    ),
    (Approved(**IDS, summary="Đăng ký tạm trú", approved_at=AT), "approved", ["Đăng ký tạm trú"]),
    (
        Refused(
            **IDS,
            reason_code="khong_du_dieu_kien",
            legal_basis="Luật Cư trú 68/2020/QH14, Điều 27",
            explanation="Chỗ ở không hợp pháp.",
            refused_at=AT,
        ),
        "refused",
        ["Chỗ ở không hợp pháp.", "Điều 27"],
    ),
    (
        ResultIssued(
            **IDS, result_form="CT08", summary="Đã đăng ký tạm trú", delivery_mode="pickup", issued_at=AT
        ),
        "result_issued",
        ["đã có kết quả: Đã đăng ký tạm trú"],
    ),
    (
        Transferred(
            **IDS, from_unit="CAX-00004", to_unit="CAX-00007", reason="Sai địa bàn.", transferred_at=AT
        ),
        "transferred",
        ["CAX-00007", "Sai địa bàn."],
    ),
    (WithdrawalAcknowledged(**IDS, withdrawn_at=AT), "withdrawn", ["rút hồ sơ"]),
    (
        ApologyIssued(
            **IDS,
            reason="Phải xác minh thêm nơi ở.",
            new_due_at=datetime(2026, 12, 1, 10, tzinfo=UTC),
            letter="Công an phường Hoàn Kiếm xin lỗi ông/bà vì đã trả kết quả chậm.",
            issued_at=AT,
        ),
        "apology",
        ["xin lỗi", "17:00 ngày 01/12/2026"],
    ),
    (
        FeeAssessed(
            **IDS,
            procedure_code="1.004194",
            procedure_version=2,
            amount_vnd=7000,
            rate="online",
            rule="Lệ phí đăng ký cư trú nộp trực tuyến, Thông tư 75/2022/TT-BTC",
            due="on_submission",
            methods=["gateway", "vietqr"],
            assessed_at=AT,
        ),
        "fee_due_on_submission",
        ["7.000 đồng"],
    ),
    (
        FeeAssessed(
            **IDS,
            procedure_code="1.004194",
            procedure_version=2,
            amount_vnd=150000,
            rate="in_person",
            rule="Phí cấp hộ chiếu",
            due="after_acceptance",
            methods=["counter"],
            assessed_at=AT,
        ),
        "fee_due_after_acceptance",
        ["150.000 đồng"],
    ),
    (
        FeePaid(
            dossier_id=IDS["dossier_id"],
            amount_vnd=7000,
            method="vietqr",
            transaction_ref="VQR-1",
            paid_at=AT,
        ),
        "fee_paid",
        ["7.000 đồng", "VQR-1"],
    ),
    (
        Refunded(
            **IDS,
            amount_vnd=7000,
            reason="Hồ sơ không được tiếp nhận.",
            transaction_ref="VQR-1",
            refund_ref="RF-9",
            refunded_at=AT,
        ),
        "refunded",
        ["hoàn trả 7.000 đồng", "Hồ sơ không được tiếp nhận."],
    ),
    (
        ResultDispatched(
            **IDS, channel="e_result", document_sha256="a" * 64, verification_code="XM-42", dispatched_at=AT
        ),
        "result_e_dispatched",
        ["XM-42"],
    ),
    (
        ResultDispatched(
            **IDS,
            channel="post",
            tracking_number="EB123456789VN",
            address=PostalAddress(
                recipient="Nguyễn Thị Hoa",
                phone="0912345678",
                street="12 Hàng Bạc",
                commune="Phường Hoàn Kiếm",
                province="Thành phố Hà Nội",
            ),
            postal_fee_vnd=25000,
            dispatched_at=AT,
        ),
        "result_posted",
        ["EB123456789VN", "25.000 đồng"],
    ),
    (
        ResultDelivered(**IDS, channel="post", detail="Người nhận ký nhận.", delivered_at=AT),
        "result_delivered",
        ["phát thành công"],
    ),
    (
        DeliveryFailed(
            **IDS, channel="post", reason="Không liên lạc được.", attempt=1, next_step="retry", failed_at=AT
        ),
        "delivery_failed_retry",
        ["Không liên lạc được.", "phát lại"],
    ),
    (
        DeliveryFailed(
            **IDS,
            channel="post",
            reason="Sai địa chỉ.",
            attempt=3,
            next_step="returned_to_unit",
            failed_at=AT,
        ),
        "delivery_failed_returned",
        ["Sai địa chỉ.", "Công an đơn vị giải quyết"],
    ),
    (
        ReadyForPickup(**IDS, unit_code="CAX-00004", bring=["Căn cước", "Giấy hẹn trả kết quả"], ready_at=AT),
        "ready_for_pickup",
        ["Công an phường Hoàn Kiếm", "Căn cước"],
    ),
    (
        PickupBooked(
            **IDS,
            unit_code="CAX-00004",
            slot_start=datetime(2026, 11, 25, 1, 0, tzinfo=UTC),
            slot_end=datetime(2026, 11, 25, 1, 30, tzinfo=UTC),
            booked_at=AT,
        ),
        "pickup_booked",
        ["08:00–08:30 ngày 25/11/2026", "Công an phường Hoàn Kiếm"],
    ),
    (
        Collected(
            **IDS,
            unit_code="CAX-00004",
            id_checked=True,
            originals_checked=True,
            collected_by="Nguyễn Thị Hoa",
            collected_at=AT,
        ),
        "collected",
        ["đã được trao cho Nguyễn Thị Hoa"],
    ),
    (
        ComplaintResolved(
            complaint_id=uuid4(),
            dossier_id=IDS["dossier_id"],
            resolution="Hồ sơ đã được giải quyết đúng hạn; đơn vị đã nhắc nhở cán bộ tiếp nhận.",
            resolved_at=AT,
            on_time=True,
        ),
        "complaint_answered",
        ["Phản ánh của ông/bà về hồ sơ", "đơn vị đã nhắc nhở cán bộ tiếp nhận"],
    ),
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
