"""A dossier is one trace from its submission to the SMS about it: the message carries the
trace it was queued in through notify's outbox, and each attempt to send it continues that
trace."""

from __future__ import annotations

from uuid import uuid4

from opentelemetry.trace import SpanKind

from dvc_testing import factories
from dvc_testing.traces import recorded_spans

from .conftest import FlakyGateway, Notify, eventually, received

# The trace of the `Received` event: processing's span that recorded it (sampled).
TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT = "00f067aa0ba902b7"
TRACEPARENT = f"00-{TRACE_ID}-{PARENT}-01"


def feed_received(notify: Notify, trace_context: dict[str, str]) -> None:
    """A dossier submitted, then processing's `Received` (no due date) in the given trace."""
    dossier = uuid4()
    notify.submitted(dossier)
    payload = received(dossier, due_at=None)
    envelope = factories.envelope(payload, dossier, producer="processing")
    notify.feed(
        payload, dossier, envelope=envelope.model_copy(update={"trace_context": trace_context}).sealed()
    )


async def test_the_sms_continues_the_trace_of_the_event_it_tells_about(notify: Notify) -> None:
    recorded = recorded_spans()
    feed_received(notify, {"traceparent": TRACEPARENT})
    gateway = FlakyGateway(notify.sink, failures=1)  # a failed attempt, then the retry

    async with notify.dispatching(sms=gateway):
        await eventually(lambda: all(m.status == "delivered" for m in notify.messages()))

    sends = [s for s in recorded.get_finished_spans() if s.name == "send sms"]
    assert len(sends) == 2  # the failed attempt and the one that went through
    for span in sends:
        assert f"{span.context.trace_id:032x}" == TRACE_ID
        # fed straight to the application here, with no consumer span: the event's own context
        assert span.parent is not None and f"{span.parent.span_id:016x}" == PARENT
        assert span.kind is SpanKind.PRODUCER
        assert span.attributes is not None and span.attributes["dvc.dossier_code"] == "261123-K7M3Q9-4"
    assert not sends[0].status.is_ok and sends[1].status.is_ok


async def test_a_message_queued_in_an_unsampled_trace_is_sent_without_a_span(notify: Notify) -> None:
    recorded = recorded_spans()
    feed_received(notify, {"traceparent": f"00-{TRACE_ID}-{PARENT}-00"})  # unsampled

    async with notify.dispatching():
        await eventually(lambda: all(m.status == "delivered" for m in notify.messages()))

    assert [s for s in recorded.get_finished_spans() if s.name == "send sms"] == []
