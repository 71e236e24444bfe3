"""SMS as citizens and operators meet them: counted in billed segments, receipts in two; held
through the night unless the citizen is waiting for it; no stray ".." after an officer's text."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time
from uuid import uuid4

import pytest

from dvc_kernel.clock import VIETNAM
from dvc_notify.application import load_templates
from dvc_notify.domain.conversation import Contact, Conversation
from dvc_notify.domain.sms import QuietHours, segments, send_not_before

# A long but real-looking name and code, and the longest instants the templates print.
LONG = {
    "full_name": "Nguyễn Hoàng Thị Thanh Hương Giang",
    "dossier_code": "261123-K7M3Q9-X",
    "received_at": "16:59 ngày 30/12/2026",
    "due_at": "17:00 ngày 31/12/2026",
}


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("[" * 80, 1),  # extension characters take two septets
        ("[" * 81, 2),
        ("ơ" * 70, 1),  # Vietnamese goes in UCS-2
        ("ơ" * 71, 2),
        ("ơ" * 134, 2),
        ("ơ" * 135, 3),
    ],
)
def test_texts_are_counted_in_billed_segments(text: str, parts: int) -> None:
    assert segments(text) == parts


@pytest.mark.parametrize("template", ["dossier_received", "dossier_received_no_due"])
def test_a_receipt_fits_in_two_segments(template: str) -> None:
    text = load_templates().render_sms(template, LONG)
    assert segments(text) <= 2, (len(text), text)


def test_no_sms_template_takes_more_than_three_segments() -> None:
    templates = load_templates()
    for key, template in templates.sms.items():
        params = {
            **LONG,
            **{name: "x" * 12 for name in re.findall(r"\{(\w+)\}", template) if name not in LONG},
        }
        assert segments(templates.render_sms(key, params)) <= 3, key


def hanoi(hour: int, minute: int = 0, day: int = 24) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=VIETNAM)


@pytest.mark.parametrize(
    ("queued", "sent"),
    [
        (hanoi(1, 44), hanoi(7, 0)),  # the receipt that went out at 01:44
        (hanoi(6, 59), hanoi(7, 0)),
        (hanoi(7, 0), hanoi(7, 0)),
        (hanoi(20, 59), hanoi(20, 59)),
        (hanoi(21, 0), hanoi(7, 0, day=25)),
        (hanoi(23, 30), hanoi(7, 0, day=25)),
    ],
)
def test_non_urgent_texts_wait_for_the_end_of_quiet_hours(queued: datetime, sent: datetime) -> None:
    assert send_not_before(queued, "dossier_received") == sent


def test_a_payment_confirmation_goes_at_once_even_at_night() -> None:
    assert send_not_before(hanoi(1, 44), "fee_paid") == hanoi(1, 44)


def test_a_receipt_queued_at_night_is_scheduled_for_seven_and_its_email_goes_at_once() -> None:
    contact: Contact = {
        "phone": "0912345678",
        "full_name": "Nguyễn Thị Hoa",
        "email": "hoa@example.vn",
        "dossier_code": "261123-K7M3Q9-4",
        "owner_account": "account-hoa",
        "unit_code": "CAX-26743",
    }
    conversation = Conversation.opened_by_submission(uuid4(), contact)
    at = hanoi(1, 44).astimezone(UTC)
    sms, email = conversation.request("e-1", "dossier_received", LONG, None, load_templates(), at)
    assert (sms.channel, sms.next_attempt_at) == ("sms", hanoi(7, 0))
    assert (email.channel, email.next_attempt_at) == ("email", at)


def test_an_officer_s_sentence_is_not_followed_by_a_stray_full_stop() -> None:
    templates = load_templates()
    approved = templates.render_sms("approved", {**LONG, "summary": "Đăng ký tạm trú đến 31/12/2027."})
    assert ".." not in approved and approved.endswith("31/12/2027.")
    plain = templates.render_sms("approved", {**LONG, "summary": "Đăng ký tạm trú"})
    assert plain.endswith("Đăng ký tạm trú.")
    mail = templates.render_email("approved", {**LONG, "summary": "Đăng ký tạm trú đến 31/12/2027."})
    assert ".." not in mail.body


def test_quiet_hours_are_configured_and_stacks_can_switch_them_off() -> None:
    assert QuietHours.parse("21:00-07:00") == QuietHours()
    assert QuietHours.parse("22:00-06:30") == QuietHours(time(22, 0), time(6, 30))
    assert QuietHours.parse("off") is None
    assert send_not_before(hanoi(1, 44), "dossier_received", None) == hanoi(1, 44)
    assert send_not_before(hanoi(6, 45), "dossier_received", QuietHours(time(22, 0), time(6, 30))) == hanoi(
        6, 45
    )
