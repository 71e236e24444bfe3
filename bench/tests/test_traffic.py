"""Counting what a step wrote to Kafka: offsets moved, records, and the transaction markers
that take offsets without being records."""

from __future__ import annotations

from aiokafka import TopicPartition

from bench.traffic import Traffic, moved

A, B = TopicPartition("intake.dossier.v1", 0), TopicPartition("processing.dossier.v1", 1)


def test_offsets_moved_add_up_over_partitions_and_a_new_partition_counts_from_zero() -> None:
    assert moved({A: 10, B: 5}, {A: 14, B: 5}) == 4
    assert moved({A: 10}, {A: 12, B: 3}) == 5


def test_offsets_that_are_not_records_are_transaction_markers() -> None:
    # 30 offsets: 20 records of which 2 from an aborted transaction, and 10 markers.
    traffic = Traffic(offsets=30, records=20, committed=18, committed_bytes=18_000)
    assert (traffic.markers, traffic.aborted) == (10, 2)
    assert traffic.per(2) == {
        "messages_per_dossier": 9.0,
        "transaction_markers_per_dossier": 5.0,
        "aborted_records_per_dossier": 1.0,
        "message_bytes_mean": 1000.0,
    }
    assert Traffic(offsets=12, records=12, committed=12, committed_bytes=0).markers == 0  # no transactions
