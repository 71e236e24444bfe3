"""A developer prints one trace from the trace files, by trace id or by dossier."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dvc_kernel.telemetry.show import main

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"


def span(
    span_id: str, parent: str | None, service: str, name: str, start: str, **attrs: Any
) -> dict[str, Any]:
    return {
        "trace_id": attrs.pop("trace_id", TRACE),
        "span_id": span_id,
        "parent_span_id": parent,
        "name": name,
        "service": service,
        "start": f"2026-11-23T02:00:{start}+00:00",
        "duration_ms": 1.5,
        "status": attrs.pop("status", "unset"),
        "attributes": attrs,
    }


@pytest.fixture
def traces(tmp_path: Path) -> Path:
    files = {
        "intake": [
            span("a1", None, "intake", "POST /v1/dossiers", "00"),
            span("a2", "a1", "intake", "send intake.dossier.v1", "01", **{"dvc.event_type": "Submitted"}),
        ],
        "processing": [
            span(
                "b2", "b1", "processing", "eventstore.record", "03", **{"dvc.event_types": ["Case.Received"]}
            ),
            span("b0", "a2", "processing", "process intake.dossier.v1", "02", status="error"),
            span("b1", "a2", "processing", "process intake.dossier.v1", "03", **{"dvc.dossier_code": "K-1"}),
            span("c1", None, "processing", "POST /v1/dossiers/{code}/accept", "09", trace_id="f" * 32),
        ],
    }
    for service, spans in files.items():
        (tmp_path / f"{service}.jsonl").write_text("".join(json.dumps(s) + "\n" for s in spans))
    return tmp_path


def test_a_dossier_code_prints_its_trace_as_a_tree_in_the_order_things_happened(
    traces: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--dir", str(traces), "K-1"]) == 0

    assert capsys.readouterr().out.splitlines() == [
        f"trace {TRACE}",
        "intake: POST /v1/dossiers  1.5 ms",
        "  intake: send intake.dossier.v1 (Submitted)  1.5 ms",
        "    processing: process intake.dossier.v1  1.5 ms  FAILED",
        "    processing: process intake.dossier.v1  1.5 ms",
        "      processing: eventstore.record (Case.Received)  1.5 ms",
    ]


def test_a_trace_id_or_the_last_trace_can_be_asked_for(
    traces: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--dir", str(traces), "--last"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "processing: POST /v1/dossiers/{code}/accept  1.5 ms"
    assert main(["--dir", str(traces), TRACE]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"trace {TRACE}"


def test_an_unknown_dossier_says_so(traces: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--dir", str(traces), "K-404"]) == 1
    assert "no trace of K-404" in capsys.readouterr().err
