"""Reading topics as the tests check them: every record, from the beginning to the end each
partition has when the read starts."""

from __future__ import annotations

from aiokafka import AIOKafkaConsumer, ConsumerRecord

from dvc_kernel import kafka_security
from dvc_kernel.kafka_topics import topic_partitions


async def read_all(
    bootstrap: str, *topics: str, committed_only: bool = True
) -> list[ConsumerRecord[bytes, bytes]]:
    """Every committed record of `topics`, from the beginning to the current end; with
    `committed_only=False`, aborted ones too (for a test that nothing may hold)."""
    partitions = await topic_partitions(bootstrap, list(topics))
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        isolation_level="read_committed" if committed_only else "read_uncommitted",
        enable_auto_commit=False,
        **kafka_security.client_options(),  # as configured: plaintext unless a test secures it
    )
    await consumer.start()
    try:
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        records: list[ConsumerRecord[bytes, bytes]] = []
        pending = {tp for tp in partitions if ends[tp] > 0}
        while pending:
            batch = await consumer.getmany(*pending, timeout_ms=500)
            for recs in batch.values():
                records.extend(recs)
            for tp in list(pending):
                if await consumer.position(tp) >= ends[tp]:
                    pending.discard(tp)
        return records
    finally:
        await consumer.stop()
