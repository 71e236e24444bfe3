"""`dvc-audit`: the auditors' read-only tool over the public topics and the services' stores.

    dvc-audit timeline <code> [--as-of 2026-11-23T09:00:00+07:00]
    dvc-audit check
    dvc-audit export --format json|csv --out FILE
    dvc-audit viewers <code>
    dvc-audit compare --service processing --url http://127.0.0.1:8104 --token ...
    dvc-audit recompute [<code>] [--from 2026-01-01T00:00:00+07:00] [--until …] [--all]

Every command replays the topics with a consumer of no group that commits nothing; `--since`
or `--offset topic:partition=offset` start later than the beginning. The replay streams into a
scratch file (`--spool-dir`, the system's temporary directory by default; removed at the end)
and dossiers are rebuilt one at a time, so memory stays flat however long the log is
(`spool.py`). Progress goes to stderr: a bar with events/s and the time left on a terminal, a
line every 5 s otherwise (`--quiet`: none). Exit status 1 when a check finds something wrong,
2 on bad usage or a dossier not found.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from dvc_contracts.timeline import fold
from dvc_contracts.topics import ALL_TOPICS, PROCESSING_ACCESS
from dvc_kernel.personal_data import opened_step

from . import recompute
from .checks import Finding, check_spool
from .compare import compare, store_envelopes
from .export import write_csv, write_json
from .replay import DOSSIER_TOPICS, read_topics
from .spool import Spool, spool_topics, states


def instant(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError("an instant needs its UTC offset, e.g. 2026-11-23T09:00:00+07:00")
    return value


def offset(text: str) -> tuple[tuple[str, int], int]:
    try:
        where, at = text.split("=")
        topic, partition = where.rsplit(":", 1)
        return (topic, int(partition)), int(at)
    except ValueError:
        raise argparse.ArgumentTypeError("expected topic:partition=offset") from None


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="dvc-audit", description="Read-only audit of the public event log.")
    main.add_argument("--bootstrap", default=os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"))
    main.add_argument("--since", type=instant, help="replay from this instant (ISO 8601 with offset)")
    main.add_argument("--offset", type=offset, action="append", default=[], help="topic:partition=offset")
    main.add_argument("--spool-dir", type=Path, help="where the replay's scratch file goes (default: TMPDIR)")
    main.add_argument("--quiet", action="store_true", help="no progress on stderr")
    commands = main.add_subparsers(dest="command", required=True)
    timeline = commands.add_parser("timeline", help="one dossier's timeline, or its state at an instant")
    timeline.add_argument("code")
    timeline.add_argument("--as-of", type=instant)
    checking = commands.add_parser(
        "check", help="lifecycle rules on every dossier and tamper evidence of every topic"
    )
    checking.add_argument(
        "--dossier",
        action="append",
        default=[],
        metavar="CODE",
        help="report only findings about these dossiers (a broker shared with other systems)",
    )
    export = commands.add_parser("export", help="every dossier's timeline as JSON or CSV")
    export.add_argument("--format", choices=("json", "csv"), required=True)
    export.add_argument("--out", type=Path, required=True)
    export.add_argument("--as-of", type=instant)
    viewers = commands.add_parser("viewers", help="who read a dossier's personal data, and when")
    viewers.add_argument("code")
    comparing = commands.add_parser("compare", help="a service's store against its topics")
    comparing.add_argument("--service", required=True)
    comparing.add_argument("--url", required=True)
    comparing.add_argument(
        "--known-subjects-only",
        action="store_true",
        help="ignore topic events of aggregates the store does not know (a broker shared by deployments)",
    )
    comparing.add_argument(
        "--dossier", action="append", default=[], metavar="CODE", help="report only these dossiers"
    )
    comparing.add_argument("--token", default=os.environ.get("DVC_AUDIT_TOKEN"), help="auditor token")
    recompute.add_parser(commands, instant)
    return main


def show(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


async def run(args: argparse.Namespace) -> int:
    if args.command == "compare":
        return await run_compare(args)
    if args.command == "recompute":  # due dates only: it holds the dossier topics in memory
        read = {"bootstrap": args.bootstrap, "since": args.since, "offsets": dict(args.offset)}
        return await recompute.run(args, read, show)
    with Spool(args.spool_dir) as spool:
        return await run_on_spool(args, spool)


async def run_on_spool(args: argparse.Namespace, spool: Spool) -> int:
    progress = not args.quiet

    async def replay(topics: list[str]) -> None:
        await spool_topics(spool, args.bootstrap, topics, args.since, dict(args.offset), progress=progress)

    if args.command == "timeline":
        await replay(list(DOSSIER_TOPICS))
        envelopes = spool.dossier(args.code)
        state = fold(envelopes, as_of=args.as_of) if envelopes else None
        if state is None:
            print(f"dossier {args.code} not found", file=sys.stderr)
            return 2
        # Auditors read everything: sealed personal fields opened with the keys this process has.
        subject = str(state.dossier_id)
        state = state.model_copy(update={"steps": [opened_step(s, subject) for s in state.steps]})
        show(state.model_dump(mode="json"))
        return 0
    if args.command == "export":
        await replay(list(DOSSIER_TOPICS))
        written = (write_json if args.format == "json" else write_csv)(
            states(spool, args.as_of, progress), args.out
        )
        print(f"{written} dossiers written to {args.out}")
        return 0
    if args.command == "viewers":
        await replay([PROCESSING_ACCESS.name])
        show([e.payload for e in spool.of_code(PROCESSING_ACCESS.name, args.code)])
        return 0
    await replay([t.name for t in ALL_TOPICS if not t.compacted])
    findings = [f for f in check_spool(spool, progress) if not args.dossier or f.dossier in set(args.dossier)]
    return report(findings)


async def run_compare(args: argparse.Namespace) -> int:
    """A service's store against its topics. Both sides are held in memory: one service's
    topics, against a store read in full over HTTP."""
    if not args.token:
        print("compare needs an auditor token (--token or DVC_AUDIT_TOKEN)", file=sys.stderr)
        return 2
    stored = await asyncio.to_thread(lambda: list(store_envelopes(args.url, args.token)))
    produced = [t.name for t in ALL_TOPICS if t.producer == args.service]
    topics = await read_topics(args.bootstrap, produced)  # a comparison needs the whole topic
    findings = compare(args.service, stored, topics, known_only=args.known_subjects_only)
    if args.dossier:
        findings = [f for f in findings if f.dossier in set(args.dossier)]
    return report(findings)


def report(findings: list[Finding]) -> int:
    for finding in findings:
        print(finding)
    print(f"{len(findings)} finding(s)", file=sys.stderr)
    return 1 if findings else 0


def main(argv: list[str] | None = None) -> int:
    return asyncio.run(run(parser().parse_args(argv)))


if __name__ == "__main__":
    raise SystemExit(main())
