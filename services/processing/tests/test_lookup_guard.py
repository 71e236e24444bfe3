"""The public look-up's lock is kept as events: every instance sharing the store honours it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from dvc_kernel.clock import FixedClock
from dvc_processing.application import ProcessingApplication
from dvc_processing.domain.lookup_guard import LOCK, MAX_WRONG, locked_until

AT = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)


def test_five_wrong_answers_within_an_hour_lock_the_code_for_an_hour_from_the_last() -> None:
    spread = [AT + timedelta(minutes=10 * i) for i in range(MAX_WRONG)]
    assert locked_until(spread) == spread[-1] + LOCK
    assert locked_until(spread[:-1]) is None
    slow = [AT + timedelta(minutes=20 * i) for i in range(MAX_WRONG)]  # 80 minutes apart
    assert locked_until(slow) is None


def test_another_instance_on_the_same_store_sees_the_lock(tmp_path: Path) -> None:
    env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "events.sqlite3")}
    clock = FixedClock(AT)
    first, second = ProcessingApplication(env=env, clock=clock), ProcessingApplication(env=env, clock=clock)
    for _ in range(MAX_WRONG):
        first.note_wrong_digits("261123-K7M3Q9-4")
    assert second.lookup_locked("261123-K7M3Q9-4")
    assert not second.lookup_locked("261123-OTHER1-0")
    clock.set(AT + LOCK + timedelta(seconds=1))
    assert not second.lookup_locked("261123-K7M3Q9-4")
