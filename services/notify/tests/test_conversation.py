"""A conversation tells the citizen each step once, whichever of the submission and the step
reaches notify first; the usual order is recorded in as few events as it takes."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

from dvc_notify.application import load_templates
from dvc_notify.domain.conversation import Contact, Conversation

AT = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
CONTACT: Contact = {
    "phone": "0912345678",
    "full_name": "Nguyễn Thị Hoa",
    "email": None,
    "dossier_code": "261123-K7M3Q9-4",
    "owner_account": "account-hoa",
    "unit_code": "CAX-26743",
}
PARAMS = {"received_at": "09:00 ngày 24/11/2026", "due_at": "17:00 ngày 27/11/2026"}


def test_after_the_submission_a_step_is_one_event_and_its_sms() -> None:
    templates = load_templates()
    conversation = Conversation.opened_by_submission(uuid4(), CONTACT)
    conversation.collect_events()

    messages = conversation.request("event-1", "dossier_received", PARAMS, None, templates, AT)

    (told,) = conversation.collect_events()
    assert type(told).__name__ == "Told"
    assert [m.channel for m in messages] == ["sms"]
    assert conversation.messages == [messages[0].id]
    assert conversation.request("event-1", "dossier_received", PARAMS, None, templates, AT) == []  # once


def test_a_step_before_the_submission_waits_for_the_contact_then_is_told_once() -> None:
    templates = load_templates()
    conversation = Conversation(id=uuid4())

    assert conversation.request("event-1", "dossier_received", PARAMS, None, templates, AT) == []
    messages = conversation.learn_applicant(CONTACT, templates=templates, at=AT)

    assert [m.template for m in messages] == ["dossier_received"]
    names = [type(e).__name__ for e in conversation.collect_events()]
    assert names == ["Opened", "Requested", "ApplicantKnown", "MessagesQueued"]


def test_a_conversation_recorded_with_the_finer_events_reads_the_same() -> None:
    """Conversations stored before `Told` existed are read back as they were."""
    templates = load_templates()
    fine = Conversation(id=uuid4())
    fine.learn_applicant(CONTACT, templates=templates, at=AT)
    fine.request("event-1", "dossier_received", PARAMS, None, templates, AT)
    short = Conversation.opened_by_submission(fine.id, CONTACT)
    short.request("event-1", "dossier_received", PARAMS, None, templates, AT)

    assert (fine.contact, fine.requested, fine.queued) == (short.contact, short.requested, short.queued)
