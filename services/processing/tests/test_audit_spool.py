"""`dvc-audit` streams the replay into a scratch file and rebuilds one dossier at a time: it must
tell exactly the story the in-memory replay tells (the same dossiers, steps and findings), count
a relay's second copy once, keep a forged one for the checks, and write its exports as the
in-memory writers did. Its progress goes to stderr: a bar on a terminal, plain lines elsewhere."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID, uuid4

from dvc_contracts import Envelope
from dvc_contracts.case import Approved
from dvc_contracts.dossier import Received
from dvc_contracts.topics import INTAKE_DOSSIER, PROCESSING_ACCESS, PROCESSING_DOSSIER
from dvc_processing.audit.checks import check_all, check_spool
from dvc_processing.audit.export import write_csv, write_json
from dvc_processing.audit.progress import Progress
from dvc_processing.audit.replay import Record, dossier_events, rebuild
from dvc_processing.audit.spool import Spool, states
from dvc_testing import factories

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def dossier(n: int) -> tuple[Envelope, list[Envelope]]:
    """Intake's Submitted, then processing's chain: Received (caused by it) and Approved."""
    dossier_id, code = uuid4(), f"261123-{n:06d}-X"
    submitted = factories.envelope(factories.submitted(dossier_id, dossier_code=code), dossier_id)
    ids = {"dossier_id": dossier_id, "dossier_code": code}
    received = factories.envelope(
        Received(**ids, procedure_code="1.004194", unit_code="CAX-00004", received_at=T0, due_at=None),
        dossier_id,
        producer="processing",
    )
    received = received.model_copy(update={"causation_id": submitted.event_id}).sealed()
    approved = factories.envelope(
        Approved(**ids, summary="Được", approved_at=T0 + timedelta(hours=1)),
        dossier_id,
        producer="processing",
        version=2,
    )
    approved = approved.model_copy(update={"prev_hash": received.hash}).sealed()
    return submitted, [received, approved]


def forged(envelope: Envelope) -> Envelope:
    payload = {**envelope.payload, "unit_code": "CAX-99999"}
    return envelope.model_copy(update={"payload": payload}).sealed()


def log() -> dict[str, list[Envelope]]:
    """Three dossiers, processing's stream written before intake's (topics are read in any
    order), a relay's second copy and a forged copy of the first Received."""
    stories = [dossier(n) for n in range(3)]
    processing = [e for _, chain in stories for e in chain]
    first_received = stories[0][1][0]
    processing += [first_received, forged(first_received)]
    return {PROCESSING_DOSSIER.name: processing, INTAKE_DOSSIER.name: [s for s, _ in stories]}


def spooled(topics: dict[str, list[Envelope]], tmp_path: Path) -> Spool:
    spool = Spool(tmp_path)
    for topic, envelopes in topics.items():
        spool.add(topic, 0, ((offset, e.to_bytes()) for offset, e in enumerate(envelopes)))
    return spool


def in_memory(topics: dict[str, list[Envelope]]) -> dict[str, list[Record]]:
    """What `read_topics` gives for the same log (it drops identical copies as it reads)."""
    seen: dict[UUID, Envelope] = {}
    found: dict[str, list[Record]] = {}
    for topic, envelopes in topics.items():
        found[topic] = []
        for offset, e in enumerate(envelopes):
            if seen.setdefault(e.event_id, e) is not e and seen[e.event_id] == e:
                continue
            found[topic].append(Record(topic, 0, offset, e))
    return found


def test_the_spool_rebuilds_the_same_dossiers_as_the_in_memory_replay(tmp_path: Path) -> None:
    topics = log()
    with spooled(topics, tmp_path) as spool:
        streamed = {s.dossier_id: s for s in states(spool, progress=False)}
        assert spool.copies == 1 and len(spool.conflicts) == 1
    expected = rebuild(dossier_events(in_memory(topics)))
    assert streamed == {s.dossier_id: s for s in expected.values()}
    assert [s.event_type for s in next(iter(streamed.values())).steps] == [
        "Submitted",
        "Received",
        "Approved",
    ]


def test_a_forged_copy_folds_as_first_read_and_is_a_finding(tmp_path: Path) -> None:
    topics = log()
    first_received = topics[PROCESSING_DOSSIER.name][0]
    with spooled(topics, tmp_path) as spool:
        events = spool.dossier(first_received.payload["dossier_code"])
        assert events is not None and [e.payload.get("unit_code") for e in events[1:2]] == ["CAX-00004"]
        findings = list(check_spool(spool, progress=False))
    expected = list(check_all(dossier_events(in_memory(topics)), in_memory(topics)))
    assert sorted(map(str, findings)) == sorted(map(str, expected))
    assert ("tamper_conflicting_copy", first_received.event_id) in [(f.rule, f.event_id) for f in findings]


def test_a_dossier_not_read_is_not_found_and_the_scratch_file_goes_away(tmp_path: Path) -> None:
    with spooled(log(), tmp_path) as spool:
        assert spool.dossier("261123-999999-X") is None
        path = spool.path
        assert path.exists()
    assert not path.exists()


def test_staff_reads_of_one_dossier_come_back_in_log_order(tmp_path: Path) -> None:
    submitted, _ = dossier(7)
    code = submitted.payload["dossier_code"]
    reads = [
        factories.envelope(factories.submitted(uuid4(), dossier_code=c), uuid4()) for c in (code, "x", code)
    ]
    with spooled({PROCESSING_ACCESS.name: reads}, tmp_path) as spool:
        assert [e.event_id for e in spool.of_code(PROCESSING_ACCESS.name, code)] == [
            reads[0].event_id,
            reads[2].event_id,
        ]


def test_exports_are_written_one_dossier_at_a_time_in_the_same_format(tmp_path: Path) -> None:
    rebuilt = list(rebuild(dossier_events(in_memory(log()))).values())
    out = tmp_path / "export.json"
    assert write_json(iter(rebuilt), out) == 3
    assert out.read_text(encoding="utf-8") == (
        json.dumps([s.model_dump(mode="json") for s in rebuilt], ensure_ascii=False, indent=2) + "\n"
    )
    assert write_json(iter([]), out) == 0 and json.loads(out.read_text()) == []
    assert write_csv(iter(rebuilt), tmp_path / "export.csv") == 3
    assert len((tmp_path / "export.csv").read_text().splitlines()) == 1 + 3 * 3


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_plain_lines_when_not_on_a_terminal() -> None:
    out = io.StringIO()
    progress = Progress("reading 4 topics", 1_000_000, out=out, every=0)
    progress.advance(250_000)
    progress.finish()
    first, last = out.getvalue().splitlines()
    assert first.startswith("reading 4 topics: 250,000/1,000,000 events (25%), ")
    assert " events/s, about " in first and first.endswith(" left")
    assert last.startswith("reading 4 topics: 250,000 events in 0:00 (")
    assert "\r" not in out.getvalue()


def test_progress_is_a_bar_with_speed_and_time_left_on_a_terminal() -> None:
    out = Terminal()
    progress = Progress("reading 4 topics", 1_000, out=out)
    progress.shown -= 1  # as if the last redraw were a second ago
    progress.advance(500)
    drawn = out.getvalue()
    assert drawn.startswith("\rreading 4 topics [###############---------------]  50% 500/1,000 events ")
    assert drawn.endswith(" left")
