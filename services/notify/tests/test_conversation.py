"""The citizen is told once about each step, whatever order the events arrive in."""

from __future__ import annotations

from uuid import uuid4

from dvc_notify.application import load_templates
from dvc_notify.domain.conversation import Conversation

TEMPLATES = load_templates()
PARAMS = {
    "dossier_code": "261123-K7M3Q9-4",
    "received_at": "09:15 ngày 23/11/2026",
    "due_at": "17:00 ngày 26/11/2026",
}


def queued(conversation: Conversation) -> list[Conversation.SmsQueued]:
    return [e for e in conversation.collect_events() if isinstance(e, Conversation.SmsQueued)]


def test_the_receipt_sms_is_in_vietnamese_with_the_dossier_code() -> None:
    conversation = Conversation(id=uuid4())
    conversation.learn_contact("0912345678", "Nguyễn Thị Hoa", None, TEMPLATES)
    conversation.request_sms("e1:sms", "dossier_received", PARAMS, TEMPLATES)
    (sms,) = queued(conversation)
    assert sms.phone == "0912345678"
    assert "Hồ sơ 261123-K7M3Q9-4" in sms.text
    assert "Nguyễn Thị Hoa" in sms.text
    assert "đã được tiếp nhận lúc 09:15 ngày 23/11/2026" in sms.text
    assert "Hẹn trả kết quả: 17:00 ngày 26/11/2026" in sms.text


def test_a_request_before_the_contact_waits_for_it() -> None:
    conversation = Conversation(id=uuid4())
    conversation.request_sms("e1:sms", "dossier_received", PARAMS, TEMPLATES)
    assert queued(conversation) == []
    conversation.learn_contact("0912345678", "Nguyễn Thị Hoa", None, TEMPLATES)
    assert [s.message_id for s in queued(conversation)] == ["e1:sms"]


def test_the_same_event_twice_queues_one_sms() -> None:
    conversation = Conversation(id=uuid4())
    conversation.learn_contact("0912345678", "Nguyễn Thị Hoa", None, TEMPLATES)
    conversation.request_sms("e1:sms", "dossier_received", PARAMS, TEMPLATES)
    conversation.request_sms("e1:sms", "dossier_received", PARAMS, TEMPLATES)
    conversation.learn_contact("0912345678", "Nguyễn Thị Hoa", None, TEMPLATES)
    assert len(queued(conversation)) == 1
