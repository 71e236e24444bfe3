"""The inbox replaces how FastStream's batch subscriber waits for records
(`inbox_subscription.wait_for_records`): these fail loudly if an upgrade of FastStream changes
what that relies on."""

from __future__ import annotations

import inspect

from faststream.kafka import KafkaBroker
from faststream.kafka.subscriber.usecase import BatchSubscriber, LogicSubscriber

from dvc_kernel.inbox import Inbox, subscribe


def test_the_batch_subscriber_reads_its_batches_through_get_msg() -> None:
    loop = inspect.getsource(LogicSubscriber._run_consume_loop)
    assert "await self.get_msg(consumer)" in loop
    assert "get_msg" in BatchSubscriber.__dict__


def test_our_subscribers_wait_for_records_instead_of_sleeping_after_an_empty_poll() -> None:
    broker = KafkaBroker("127.0.0.1:1")

    class Nothing:
        handles = None

    subscribe(broker, Inbox(Nothing()), ["t.v1"], group_id="g", description="test")  # type: ignore[arg-type]
    (subscriber,) = broker.subscribers
    assert isinstance(subscriber, BatchSubscriber)
    assert subscriber.get_msg.__qualname__.startswith("wait_for_records")
