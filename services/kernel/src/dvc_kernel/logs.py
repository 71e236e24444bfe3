"""Structured JSON logs on stderr: one object per line, English messages.

Each line carries the trace and span it was written in (`trace_id`, `span_id`, as in
`traceparent` and the trace files) and the subject the work is about when known (the fields
`dvc_contracts.subjects.CONTEXT_FIELDS` names: a dossier's id and code), so one dossier's or one
trace's lines can be picked out of all of them. A record may also name its subject itself:
`log.info(..., extra={"dossier_id": ...})`.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import UTC, datetime
from typing import Any

from opentelemetry import trace

from .telemetry import context

CONTEXT_KEYS = ("trace_id", "span_id", *context.KEYS)


def _in_context(record: logging.LogRecord) -> logging.LogRecord:
    span = trace.get_current_span().get_span_context()
    if span.is_valid:
        record.trace_id = format(span.trace_id, "032x")
        record.span_id = format(span.span_id, "016x")
    for key, value in context.about().items():
        if getattr(record, key, None) is None:
            setattr(record, key, value)
    return record


def stamp_records_with_context() -> None:
    """Records take their trace and dossier when they are made, in the context of the work:
    a handler may format them later, elsewhere."""
    make = logging.getLogRecordFactory()
    if getattr(make, "stamps_context", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return _in_context(make(*args, **kwargs))

    factory.stamps_context = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "at": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in CONTEXT_KEYS:
            if (value := getattr(record, key, None)) is not None:
                entry[key] = str(value)
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging() -> None:
    stamp_records_with_context()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"), handlers=[handler], force=True)
    logging.getLogger("aiokafka").setLevel(logging.WARNING)
