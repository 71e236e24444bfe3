"""Each citizen gets each message once: through gateway failures, redelivered events, restarts
and lost answers; a message that cannot be sent ends on the dead-letter topic with the reason."""

from __future__ import annotations

import asyncio
from pathlib import Path
from uuid import uuid4

from dvc_contracts.dossier import Accepted
from dvc_contracts.notify import DeadLetter, MessageDeadLettered, MessageDelivered, MessageSent
from dvc_contracts.topics import NOTIFY_DEADLETTER, NOTIFY_MESSAGE
from dvc_notify.adapters.sms import SmsSink
from dvc_notify.domain.message import Message, RetryPolicy
from dvc_notify.translation import translator
from dvc_testing import factories

from .conftest import AT, CODE, PHONE, FlakyGateway, Notify, eventually, received


def failures(message: Message, app: Notify) -> int:
    events = app.app.events.get(message.id)
    return sum(isinstance(e, Message.AttemptFailed) for e in events)


async def test_when_the_sms_gateway_fails_three_times_and_then_recovers_exactly_one_sms_arrives(
    notify: Notify,
) -> None:
    notify.dossier_received()
    gateway = FlakyGateway(notify.sink, failures=3)

    async with notify.dispatching(sms=gateway):
        await eventually(lambda: all(m.status == "delivered" for m in notify.messages()))

    assert gateway.calls == 4
    (sms,) = notify.sink.list(PHONE)
    assert "đã được tiếp nhận" in sms["text"]
    (message,) = notify.messages()
    assert failures(message, notify) == 3 and message.attempts == 4


async def test_a_send_whose_answer_was_lost_is_repeated_under_the_same_id_and_arrives_once(
    notify: Notify, tmp_path: Path
) -> None:
    notify.dossier_received()
    quiet = SmsSink(tmp_path / "no-receipts.sqlite3")  # a gateway that sends no receipts
    gateway = FlakyGateway(quiet, failures=2, lose_answers=True)  # it went through, the answer did not

    async with notify.dispatching(sms=gateway):
        await eventually(lambda: all(m.settled for m in notify.messages()))

    assert gateway.calls == 3
    assert len(quiet.list(PHONE)) == 1


async def test_a_receipt_proves_a_send_whose_answer_was_lost(notify: Notify) -> None:
    notify.dossier_received()
    gateway = FlakyGateway(notify.sink, failures=1, lose_answers=True)
    notify.app.retry = RetryPolicy(first_delay_seconds=5)  # the receipt comes well before a retry

    async with notify.dispatching(sms=gateway):
        await eventually(lambda: all(m.status == "delivered" for m in notify.messages()))
        await asyncio.sleep(0.1)

    assert gateway.calls == 1, "the receipt settled it: no second send"
    assert len(notify.sink.list(PHONE)) == 1


async def test_back_off_grows_exponentially_between_attempts(notify: Notify) -> None:
    notify.dossier_received()
    notify.app.retry = RetryPolicy(max_attempts=4, first_delay_seconds=0.05, factor=2.0, max_delay_seconds=10)

    async with notify.dispatching(sms=FlakyGateway(notify.sink, failures=3)):
        await eventually(lambda: all(m.settled for m in notify.messages()))

    (message,) = notify.messages()
    failed = [e for e in notify.app.events.get(message.id) if isinstance(e, Message.AttemptFailed)]
    waits = [(e.retry_at - e.at).total_seconds() for e in failed if e.retry_at]
    assert waits == [0.05, 0.1, 0.2]


async def test_after_the_last_allowed_attempt_the_message_is_dead_lettered_with_the_reason(
    notify: Notify,
) -> None:
    notify.dossier_received()
    notify.app.retry = RetryPolicy(max_attempts=3, first_delay_seconds=0.01)
    gateway = FlakyGateway(notify.sink, failures=1000)

    async with notify.dispatching(sms=gateway):
        await eventually(lambda: all(m.settled for m in notify.messages()))
        await asyncio.sleep(0.1)  # nothing more is tried

    assert gateway.calls == 3
    assert notify.sink.list() == []
    (message,) = notify.messages()
    assert message.status == "dead_lettered"

    translate = translator(lambda i, v: notify.app.repository.get(i, version=v))
    public = [out for e in notify.app.events.get(message.id) if (out := translate(e)) is not None]
    dead, letter = (out.payload for out in public)
    assert isinstance(dead, MessageDeadLettered) and public[0].topic == NOTIFY_MESSAGE.name
    assert isinstance(letter, DeadLetter) and public[1].topic == NOTIFY_DEADLETTER.name
    assert "gave up after 3 attempts" in dead.reason and "SMS gateway unavailable" in dead.reason
    assert [f.attempt for f in letter.failures] == [1, 2, 3]
    assert letter.recipient == "09******78" and letter.template == "dossier_received"
    assert PHONE not in letter.model_dump_json()


async def test_a_redelivered_event_queues_no_second_message(notify: Notify) -> None:
    dossier = uuid4()
    notify.submitted(dossier)
    envelope = notify.feed(received(dossier), dossier)
    # The same event again, from another partition read or a replay: a new tracking position.
    notify.feed(received(dossier), dossier, envelope=envelope)
    notify.feed(received(dossier), dossier, envelope=envelope)

    async with notify.dispatching():
        await eventually(lambda: all(m.status == "delivered" for m in notify.messages()))

    assert len(notify.messages()) == 1
    assert len(notify.sink.list(PHONE)) == 1


async def test_an_event_before_the_submission_waits_for_the_contact(notify: Notify) -> None:
    dossier = uuid4()
    notify.feed(Accepted(dossier_id=dossier, dossier_code=CODE, accepted_at=AT), dossier)
    assert notify.messages() == []

    notify.submitted(dossier)

    assert [m.template for m in notify.messages()] == ["accepted"]


async def test_a_restarted_dispatcher_resumes_retries_and_sends_once(notify: Notify) -> None:
    notify.dossier_received()
    notify.app.retry = RetryPolicy(max_attempts=10, first_delay_seconds=0.3)
    gateway = FlakyGateway(notify.sink, failures=1)

    async with notify.dispatching(sms=gateway):
        await eventually(lambda: gateway.calls == 1)
    # Stopped during its back-off; a new process picks the message up again.
    async with notify.dispatching(sms=gateway):
        await eventually(lambda: all(m.settled for m in notify.messages()))

    assert len(notify.sink.list(PHONE)) == 1
    # Everything is settled: a third start sends nothing more.
    async with notify.dispatching(sms=gateway) as dispatcher:
        await asyncio.sleep(0.2)
        assert dispatcher.pending == 0
    assert gateway.calls == 2


async def test_delivery_receipts_are_recorded_and_published(notify: Notify) -> None:
    notify.dossier_received()

    async with notify.dispatching():
        await eventually(lambda: all(m.status == "delivered" for m in notify.messages()))

    (message,) = notify.messages()
    translate = translator(lambda i, v: notify.app.repository.get(i, version=v))
    public = [out.payload for e in notify.app.events.get(message.id) if (out := translate(e)) is not None]
    sent, delivered = public
    assert isinstance(sent, MessageSent) and sent.recipient == "09******78" and sent.attempts == 1
    assert sent.segments is not None and sent.segments >= 1  # billed SMS segments
    assert isinstance(delivered, MessageDelivered) and delivered.detail == "delivered to handset"


async def test_an_undeliverable_sms_is_dead_lettered_on_the_providers_receipt(notify: Notify) -> None:
    notify.dossier_received()
    notify.sink.unreachable = frozenset({PHONE})

    async with notify.dispatching():
        await eventually(lambda: all(m.status == "dead_lettered" for m in notify.messages()))

    (message,) = notify.messages()
    assert message.dead_reason == "provider reported it undelivered: subscriber unreachable"


async def test_receipts_for_messages_notify_did_not_queue_are_ignored(notify: Notify) -> None:
    assert notify.app.record_receipt("otp:otp-3qkLcjwkX", True, "delivered", "sink-1") is False
    assert notify.app.record_receipt(str(uuid4()), True, "delivered", "sink-1") is False


async def test_one_failing_message_does_not_hold_up_the_others(notify: Notify) -> None:
    dossiers = [uuid4() for _ in range(20)]
    for index, dossier in enumerate(dossiers):
        phone = f"09000000{index:02d}"
        applicant = factories.submitted(dossier).applicant.model_copy(update={"phone": phone})
        notify.feed(factories.submitted(dossier, applicant=applicant), dossier)
        notify.feed(received(dossier), dossier)
    stuck = "0900000000"

    class OneBadNumber:
        async def send(self, message_id: str, phone: str, text: str) -> str:
            if phone == stuck:
                raise ConnectionError("this route is down")
            return await notify.sink.send(message_id, phone, text)

    notify.app.retry = RetryPolicy(max_attempts=1000, first_delay_seconds=0.05, max_delay_seconds=0.05)
    async with notify.dispatching(sms=OneBadNumber()):
        await eventually(lambda: len(notify.sink.list()) == 19)

    waiting = [m for m in notify.messages() if not m.settled]
    assert [(m.recipient, m.status) for m in waiting] == [(stuck, "retrying")]


def test_receipts_that_arrive_together_are_recorded_once_each_even_when_another_instance_wrote_first(
    notify: Notify, tmp_path: Path
) -> None:
    notify.dossier_received()
    notify.dossier_received()
    app = notify.app
    ours, theirs = notify.messages()
    app.record_outcomes([(ours, ("sms-1", None)), (theirs, ("sms-2", None))])
    # A second notify instance on the same store gets the provider's report on `theirs` first.
    other = type(app)(env=dict(app.env), retry=app.retry, catalog=app.catalog)
    try:
        assert other.record_receipts([(str(theirs.id), True, "delivered to handset", "sms-2")]) == [True]
    finally:
        other.close()

    known = app.record_receipts(
        [
            (str(ours.id), True, "delivered to handset", "sms-1"),
            (str(theirs.id), False, "subscriber unreachable", "sms-2"),  # late, contradicting
            ("not-a-message", True, "", "sms-3"),
        ]
    )

    assert known == [True, True, False]
    by_id = {m.id: m for m in notify.messages()}
    assert by_id[ours.id].status == "delivered" and by_id[theirs.id].status == "delivered"
    delivered = [e for e in app.events.get(theirs.id) if isinstance(e, Message.Delivered)]
    assert len(delivered) == 1
