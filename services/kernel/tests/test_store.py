"""What the kernel adds to the event store (ADR 0018): lookup rows written and removed with the
events they index, several tracking records in one transaction, the durability level of each
commit, and group commit for callbacks."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from uuid import uuid4

import pytest
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import IntegrityError, Tracking

from dvc_kernel.application import ServiceApplication
from dvc_kernel.batching import Batched


class Note(Aggregate):
    @event("Written")
    def __init__(self, text: str) -> None:
        self.text = text


class Notes(ServiceApplication):
    name = "notes"


def stores(tmp_path: Path) -> list[dict[str, str]]:
    return [
        {"PERSISTENCE_MODULE": "eventsourcing.popo"},
        {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "events.sqlite3")},
    ]


@pytest.mark.parametrize("which", [0, 1], ids=["memory", "sqlite"])
def test_lookup_rows_are_written_with_their_events_and_read_newest_first(tmp_path: Path, which: int) -> None:
    app = Notes(env=stores(tmp_path)[which])
    first, second = Note("một"), Note("hai")
    app.save(first, lookups=[("notes", "hoa", str(first.id))])
    app.save(second, lookups=[("notes", "hoa", str(second.id)), ("notes", "hoa", str(first.id))])

    assert app.lookup("notes", "hoa") == [str(second.id), str(first.id)]  # a repeated row is one
    assert app.lookup("notes", "hoa", limit=1) == [str(second.id)]
    assert app.lookup("notes", "someone else") == []

    app.save(unlookups=[("notes", "hoa", str(first.id))])
    assert app.lookup("notes", "hoa") == [str(second.id)]


@pytest.mark.parametrize("which", [0, 1], ids=["memory", "sqlite"])
def test_lookup_rows_of_a_refused_write_are_not_kept(tmp_path: Path, which: int) -> None:
    app = Notes(env=stores(tmp_path)[which])
    note = Note("một")
    app.save(note)
    app.recorder.insert_events([], trackings=[Tracking("t:0", 5)])
    with pytest.raises(IntegrityError):  # the tracking record is behind: the write is refused
        app.recorder.insert_events([], trackings=[Tracking("t:0", 3)], lookups=[("notes", "hoa", "x")])
    assert app.lookup("notes", "hoa") == []


def test_several_tracking_records_commit_with_the_events_or_not_at_all(tmp_path: Path) -> None:
    app = Notes(env=stores(tmp_path)[1])
    app.recorder.insert_events([], trackings=[Tracking("a:0", 1), Tracking("b:0", 7)])
    assert (app.position("a:0"), app.position("b:0")) == (1, 7)
    note = Note("một")
    stored = [app.mapper.to_stored_event(e) for e in note.collect_events()]
    with pytest.raises(IntegrityError):  # b:0 at 7 already: the batch is refused whole
        app.recorder.insert_events(stored, trackings=[Tracking("a:0", 2), Tracking("b:0", 7)])
    assert app.position("a:0") == 1
    assert list(app.events.get(note.id)) == []


@pytest.mark.parametrize("level", ["NORMAL", "FULL"])
def test_each_connection_commits_at_the_configured_durability(tmp_path: Path, level: str) -> None:
    app = Notes(env={**stores(tmp_path)[1], "SQLITE_SYNCHRONOUS": level})
    app.save(Note("một"))
    with app.recorder.datastore.transaction(commit=False) as cursor:  # type: ignore[attr-defined]
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == {"NORMAL": 1, "FULL": 2}[level]
    assert sqlite3.connect(tmp_path / "events.sqlite3").execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_an_unknown_durability_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OSError, match="SQLITE_SYNCHRONOUS"):
        Notes(env={**stores(tmp_path)[1], "SQLITE_SYNCHRONOUS": "SOMETIMES"})


async def test_items_arriving_together_are_handled_in_one_call_and_each_gets_its_own_answer() -> None:
    calls: list[list[int]] = []

    def handle(items: list[int]) -> list[int]:
        calls.append(list(items))
        return [i * 10 for i in items]

    batched: Batched[int, int] = Batched(handle, delay=0.05)  # type: ignore[arg-type]
    answers = await asyncio.gather(*(batched(i) for i in range(5)))

    assert answers == [0, 10, 20, 30, 40]
    assert calls == [[0, 1, 2, 3, 4]]


async def test_when_the_call_fails_every_waiting_caller_hears_it() -> None:
    def handle(items: list[str]) -> list[str]:
        raise RuntimeError("the store is away")

    batched: Batched[str, str] = Batched(handle, delay=0.01)  # type: ignore[arg-type]
    results = await asyncio.gather(batched("a"), batched("b"), return_exceptions=True)
    assert all(isinstance(r, RuntimeError) for r in results)


def test_store_identity_is_made_once() -> None:
    app = Notes(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    assert app.store_id() == app.store_id()
    assert str(uuid4()) != app.store_id()


class Log(Aggregate):
    def __init__(self) -> None:
        self.lines: list[str] = []

    @event("Appended")
    def append(self, line: str) -> None:
        self.lines.append(line)


@pytest.mark.parametrize("which", [0, 1], ids=["memory", "sqlite"])
def test_two_writers_appending_at_once_both_land_the_second_after_reading_again(
    tmp_path: Path, which: int
) -> None:
    app = Notes(env=stores(tmp_path)[which])
    log = Log()
    app.save(log)
    stale: Log = app.repository.get(log.id)
    stale.append("đọc lần một")
    app.save(stale)  # the other writer got there first; its copy of the log is now behind
    calls: list[int] = []

    def append(current: Log) -> None:
        calls.append(current.version)
        if len(calls) == 1:
            current.version -= 1  # as read a moment before the other writer's append
        current.append("đọc lần hai")

    app.append_retrying(log.id, Log, append)

    assert app.repository.get(log.id).lines == ["đọc lần một", "đọc lần hai"]
    assert len(calls) == 2  # the first append conflicted; the second, on a fresh read, landed
