"""The replay on disk, so `dvc-audit`'s memory stays flat however long the log is.

A dossier's events are spread over four topics and, within them, over the whole log: it can be
rebuilt only once all of them are read. Keeping every event in memory until then grows with the
log (about 3 KB an event as Python objects). Instead the replay streams the records, as
received, into a throw-away SQLite file with the few fields needed to group them (dossier,
aggregate, code); afterwards each dossier, and each aggregate's hash chain, is read back and
parsed one at a time. Memory is then bounded by the largest dossier and SQLite's page cache;
the disk holds the raw records once (about what the topics hold).

Each event counts once, as in `replay.read_topics`: a second copy equal to the first (a relay
that published again after a crash) is dropped as it arrives; another record reusing an id with
other content is kept, folded after the first, and reported by the checks."""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from pydantic_core import from_json

from dvc_contracts import Envelope
from dvc_contracts.timeline import DossierState, fold, interleave

from .progress import Progress
from .replay import DOSSIER_TOPICS, Record, replaying

SCHEMA = """
CREATE TABLE records (
    seq INTEGER PRIMARY KEY,  -- the order read: offset order within each partition
    topic TEXT NOT NULL, part INTEGER NOT NULL, off INTEGER NOT NULL,
    subject TEXT, dossier TEXT, code TEXT,
    first INTEGER NOT NULL,   -- 0 for a later record reusing an event id with other content
    raw BLOB NOT NULL
);
CREATE TABLE seen (event_id TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID;
"""
DOSSIER_TOPIC_SET = frozenset(DOSSIER_TOPICS)
# seq, topic, partition, offset, subject, dossier, code, first, raw
Row = tuple[int, str, int, int, Any, Any, Any, int, bytes]
_validate = Envelope.__pydantic_validator__.validate_json


class Spool:
    """Records of a replay in a temporary SQLite file (removed on `close`)."""

    def __init__(self, directory: Path | None = None) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="dvc-audit-", dir=directory)
        self.path = Path(self._dir.name) / "replay.sqlite3"
        self.db = sqlite3.connect(self.path)
        # A scratch file: no journal, no fsync; a small page cache keeps memory flat.
        self.db.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-16384;"
            "PRAGMA temp_store=FILE;" + SCHEMA
        )
        self.count = 0
        self.copies = 0  # identical second copies dropped
        # (later record, the first under its id): few, kept for the checks to report
        self.conflicts: list[tuple[Record, Record]] = []
        self._indexed: set[str] = set()

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()
        self._dir.cleanup()

    def add(self, topic: str, partition: int, records: Iterable[tuple[int, bytes]]) -> None:
        """(offset, raw envelope) of one partition, in offset order."""
        insert_seen = self.db.cursor()
        rows: list[Row] = []
        for offset, raw in records:
            fields = from_json(raw)  # a dict, without building the Envelope: cheap
            event_id = fields["event_id"]
            payload = fields.get("payload") or {}
            seq = self.count + len(rows) + 1
            insert_seen.execute("INSERT OR IGNORE INTO seen VALUES (?, ?)", (event_id, seq))
            first = 1
            if insert_seen.rowcount == 0:
                earlier = self._first(event_id, rows)
                if earlier.envelope == _validate(raw):
                    self.copies += 1
                    continue
                first = 0
                self.conflicts.append((Record(topic, partition, offset, _validate(raw)), earlier))
            dossier = payload.get("dossier_id") if topic in DOSSIER_TOPIC_SET else None
            code = payload.get("dossier_code")
            rows.append((seq, topic, partition, offset, fields.get("subject"), dossier, code, first, raw))
        self.db.executemany("INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        self.count += len(rows)

    def _first(
        self, event_id: str, pending: list[tuple[int, str, int, int, Any, Any, Any, int, bytes]]
    ) -> Record:
        (seq,) = self.db.execute("SELECT seq FROM seen WHERE event_id = ?", (event_id,)).fetchone()
        for row in pending:
            if row[0] == seq:
                return Record(row[1], row[2], row[3], _validate(row[8]))
        topic, partition, offset, raw = self.db.execute(
            "SELECT topic, part, off, raw FROM records WHERE seq = ?", (seq,)
        ).fetchone()
        return Record(topic, partition, offset, _validate(raw))

    def _index(self, name: str, definition: str) -> None:
        """Indexes are built once the records are in (faster than keeping them up while loading),
        and only those a command needs."""
        if name not in self._indexed:
            self.db.execute(f"CREATE INDEX IF NOT EXISTS {name} ON records {definition}")
            self._indexed.add(name)

    # ---- reading back ------------------------------------------------------------------------

    def dossier_count(self) -> int:
        self._index("by_dossier", "(dossier, seq) WHERE first AND dossier IS NOT NULL")
        (count,) = self.db.execute(
            "SELECT COUNT(DISTINCT dossier) FROM records WHERE first AND dossier IS NOT NULL"
        ).fetchone()
        return int(count)

    def dossiers(self) -> Iterator[tuple[str, list[Envelope]]]:
        """Each dossier's events in causal order across the dossier topics, one dossier at a time."""
        self._index("by_dossier", "(dossier, seq) WHERE first AND dossier IS NOT NULL")
        rows = self.db.execute(
            "SELECT dossier, topic, raw FROM records WHERE first AND dossier IS NOT NULL "
            "ORDER BY dossier, seq"
        )
        current: str | None = None
        streams: dict[str, list[Envelope]] = {}
        for dossier, topic, raw in rows:
            if dossier != current:
                if current is not None:
                    yield current, _in_causal_order(streams)
                current, streams = dossier, {}
            streams.setdefault(topic, []).append(_validate(raw))
        if current is not None:
            yield current, _in_causal_order(streams)

    def dossier(self, code: str) -> list[Envelope] | None:
        """The events of the dossier with this code, in causal order; None if none was read."""
        found = self.db.execute(
            "SELECT dossier FROM records WHERE code = ? AND first AND dossier IS NOT NULL LIMIT 1", (code,)
        ).fetchone()
        if found is None:
            return None
        streams: dict[str, list[Envelope]] = {}
        rows = self.db.execute(
            "SELECT topic, raw FROM records WHERE dossier = ? AND first ORDER BY seq", (found[0],)
        )
        for topic, raw in rows:
            streams.setdefault(topic, []).append(_validate(raw))
        return _in_causal_order(streams)

    def chains(self) -> Iterator[list[Record]]:
        """Each aggregate's records per topic in log order (conflicting copies included), one
        aggregate at a time: what a hash chain is checked over."""
        self._index("by_subject", "(topic, subject, seq)")
        rows = self.db.execute(
            "SELECT topic, subject, part, off, raw FROM records ORDER BY topic, subject, seq"
        )
        current: tuple[str, str] | None = None
        chain: list[Record] = []
        for topic, subject, partition, offset, raw in rows:
            if (topic, subject) != current:
                if chain:
                    yield chain
                current, chain = (topic, subject), []
            chain.append(Record(topic, partition, offset, _validate(raw)))
        if chain:
            yield chain

    def of_code(self, topic: str, code: str) -> Iterator[Envelope]:
        """The events of `topic` about the dossier with this code, in log order."""
        rows = self.db.execute(
            "SELECT raw FROM records WHERE topic = ? AND code = ? ORDER BY seq", (topic, code)
        )
        for (raw,) in rows:
            yield _validate(raw)


def _in_causal_order(streams: dict[str, list[Envelope]]) -> list[Envelope]:
    return interleave([streams[t] for t in DOSSIER_TOPICS if t in streams])


def states(spool: Spool, as_of: datetime | None = None, progress: bool = True) -> Iterator[DossierState]:
    """Every dossier rebuilt with the shared fold, one at a time."""
    shown = Progress("rebuilding", spool.dossier_count(), unit="dossiers") if progress else None
    for _, envelopes in spool.dossiers():
        state = fold(envelopes, as_of=as_of)
        if shown is not None:
            shown.advance(1)
        if state is not None:
            yield state
    if shown is not None:
        shown.finish()


async def spool_topics(
    spool: Spool,
    bootstrap: str,
    topics: Iterable[str],
    since: datetime | None = None,
    offsets: dict[tuple[str, int], int] | None = None,
    patience: float = 600,
    progress: bool = True,
) -> None:
    """Stream every committed record of `topics` up to their current end into `spool`."""
    topics = list(topics)
    async with replaying(bootstrap, topics, since, offsets) as replay:
        label = f"reading {len(topics)} topic{'s' if len(topics) > 1 else ''}"
        shown = Progress(label, replay.total) if progress else None
        async for tp, records, passed in replay.batches(patience):
            spool.add(tp.topic, tp.partition, ((r.offset, r.value) for r in records))
            if shown is not None:
                shown.advance(passed)
        spool.db.commit()
        if shown is not None:
            shown.finish()
