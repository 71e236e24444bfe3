"""Spans as JSON lines in a file: the exporter a developer reads with no extra software.

One object per finished span, ids in the same hex form as `traceparent`, so
`grep <trace id> var/data/traces/*.jsonl` shows one trace across every service. The file is
rotated once it passes `max_bytes` (one previous file, `.1`, is kept).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult
from opentelemetry.trace import StatusCode

DEFAULT_MAX_BYTES = 16 * 1024 * 1024  # two files at most: 32 MiB in a small data volume


def _instant(nanos: int | None) -> str | None:
    return datetime.fromtimestamp(nanos / 1e9, UTC).isoformat() if nanos is not None else None


def _hex(number: int, digits: int) -> str:
    return format(number, f"0{digits}x")


def span_record(span: ReadableSpan) -> dict[str, Any]:
    """One span as a flat JSON object."""
    context = span.get_span_context()
    assert context is not None
    start, end = span.start_time, span.end_time
    record: dict[str, Any] = {
        "trace_id": format(context.trace_id, "032x"),
        "span_id": format(context.span_id, "016x"),
        "parent_span_id": format(span.parent.span_id, "016x") if span.parent else None,
        "name": span.name,
        "kind": span.kind.name.lower(),
        "service": span.resource.attributes.get("service.name"),
        "start": _instant(start),
        "end": _instant(end),
        "duration_ms": round((end - start) / 1e6, 3) if start is not None and end is not None else None,
        "status": span.status.status_code.name.lower(),
        "attributes": dict(span.attributes or {}),
    }
    if span.status.status_code is StatusCode.ERROR and span.status.description:
        record["error"] = span.status.description
    if span.events:
        record["events"] = [
            {"name": e.name, "at": _instant(e.timestamp), "attributes": dict(e.attributes or {})}
            for e in span.events
        ]
    if span.links:
        record["links"] = [
            {"trace_id": _hex(link.context.trace_id, 32), "span_id": _hex(link.context.span_id, 16)}
            for link in span.links
        ]
    return record


class JsonLinesSpanExporter(SpanExporter):
    def __init__(self, path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.path = path
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        lines = "".join(json.dumps(span_record(s), ensure_ascii=False, default=str) + "\n" for s in spans)
        try:
            with self._lock:
                if self.path.exists() and self.path.stat().st_size > self.max_bytes:
                    self.path.replace(self.path.with_name(self.path.name + ".1"))
                with self.path.open("a", encoding="utf-8") as out:
                    out.write(lines)
        except OSError:
            return SpanExportResult.FAILURE
        return SpanExportResult.SUCCESS

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return True  # every export is written and closed before it returns


def read_spans(paths: Sequence[Path]) -> list[dict[str, Any]]:
    """Every span recorded in these files (missing files hold none)."""
    found: list[dict[str, Any]] = []
    for path in paths:
        if path.exists():
            with path.open(encoding="utf-8") as lines:
                found.extend(json.loads(line) for line in lines if line.strip())
    return found
