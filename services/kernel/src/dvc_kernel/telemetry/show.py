"""Print one trace from the services' trace files as a tree: no other software needed.

    python -m dvc_kernel.telemetry.show 261123-K7M3Q9-4          # a dossier's code or id
    python -m dvc_kernel.telemetry.show 4bf92f3577b34da6a3ce929d0e0e4736  # a trace id
    python -m dvc_kernel.telemetry.show --dir var/data/traces --last

A dossier names every trace that touched it (its filing, each officer's action, ...); each is
printed, oldest first.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..settings import ServiceSettings
from . import context
from .files import read_spans

Span = dict[str, Any]


def traces_of(spans: Iterable[Span], wanted: str) -> list[str]:
    """Trace ids that `wanted` names: itself, or the traces with spans about that subject."""
    spans = list(spans)
    if any(s["trace_id"] == wanted for s in spans):
        return [wanted]
    about = [s for s in spans if any(s["attributes"].get(f"dvc.{k}") == wanted for k in context.KEYS)]
    first: dict[str, str] = {}
    for s in about:
        first[s["trace_id"]] = min(first.get(s["trace_id"], s["start"]), s["start"])
    return sorted(first, key=first.__getitem__)


def tree(spans: Iterable[Span], trace_id: str) -> list[str]:
    """The trace's spans, each under its parent, in the order they started."""
    members = [s for s in spans if s["trace_id"] == trace_id]
    ids = {s["span_id"] for s in members}
    children: dict[str | None, list[Span]] = defaultdict(list)
    for s in members:  # a parent not (yet) written makes its children roots
        children[s["parent_span_id"] if s["parent_span_id"] in ids else None].append(s)
    lines: list[str] = []

    def walk(parent: str | None, depth: int) -> None:
        for s in sorted(children[parent], key=lambda s: s["start"]):
            detail = s["attributes"].get("dvc.event_type") or ", ".join(
                s["attributes"].get("dvc.event_types", [])
            )
            status = "  FAILED" if s["status"] == "error" else ""
            lines.append(
                f"{'  ' * depth}{s['service']}: {s['name']}"
                f"{f' ({detail})' if detail else ''}  {s['duration_ms']} ms{status}"
            )
            walk(s["span_id"], depth + 1)

    walk(None, 0)
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("wanted", nargs="?", help="a trace id, or a dossier's code or id")
    parser.add_argument("--last", action="store_true", help="the trace that started last")
    parser.add_argument(
        "--dir",
        type=Path,
        default=ServiceSettings.model_fields["data_dir"].default / "traces",
        help="where the services write their trace files (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    spans = read_spans(sorted(args.dir.glob("*.jsonl")))
    if args.last and spans:
        wanted = [max(spans, key=lambda s: s["start"])["trace_id"]]
    elif args.wanted:
        wanted = traces_of(spans, args.wanted)
    else:
        parser.error("name a trace id or a dossier, or pass --last")
    if not wanted:
        print(f"no trace of {args.wanted} in {args.dir}", file=sys.stderr)
        return 1
    for trace_id in wanted:
        print(f"trace {trace_id}")
        print("\n".join(tree(spans, trace_id)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
