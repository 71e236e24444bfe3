"""`dvc-audit`: the auditors' read-only tool over the public topics and the services' stores.

    dvc-audit timeline <code> [--as-of 2026-11-23T09:00:00+07:00]
    dvc-audit check
    dvc-audit export --format json|csv --out FILE
    dvc-audit viewers <code>
    dvc-audit compare --service processing --url http://127.0.0.1:8104 --token ...
    dvc-audit recompute [<code>] [--from 2026-01-01T00:00:00+07:00] [--until …] [--all]

Every command replays the topics with a consumer of no group that commits nothing; `--since`
or `--offset topic:partition=offset` start later than the beginning. Exit status 1 when a
check finds something wrong, 2 on bad usage or a dossier not found.
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

from . import recompute
from .checks import check_all
from .compare import compare, store_envelopes
from .export import write_csv, write_json
from .replay import DOSSIER_TOPICS, dossier_events, find_dossier, read_topics, rebuild


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
    read = {"bootstrap": args.bootstrap, "since": args.since, "offsets": dict(args.offset)}
    if args.command == "timeline":
        envelopes = find_dossier(dossier_events(await read_topics(topics=DOSSIER_TOPICS, **read)), args.code)
        state = fold(envelopes, as_of=args.as_of) if envelopes else None
        if state is None:
            print(f"dossier {args.code} not found", file=sys.stderr)
            return 2
        show(state.model_dump(mode="json"))
        return 0
    if args.command == "export":
        states = rebuild(dossier_events(await read_topics(topics=DOSSIER_TOPICS, **read)), args.as_of)
        (write_json if args.format == "json" else write_csv)(list(states.values()), args.out)
        print(f"{len(states)} dossiers written to {args.out}")
        return 0
    if args.command == "recompute":
        return await recompute.run(args, read, show)
    if args.command == "viewers":
        records = (await read_topics(topics=[PROCESSING_ACCESS.name], **read)).get(PROCESSING_ACCESS.name, [])
        show([r.envelope.payload for r in records if r.envelope.payload.get("dossier_code") == args.code])
        return 0
    if args.command == "check":
        topics = await read_topics(topics=[t.name for t in ALL_TOPICS if not t.compacted], **read)
        findings = list(check_all(dossier_events(topics), topics))
        if args.dossier:
            findings = [f for f in findings if f.dossier in set(args.dossier)]
    else:
        if not args.token:
            print("compare needs an auditor token (--token or DVC_AUDIT_TOKEN)", file=sys.stderr)
            return 2
        stored = await asyncio.to_thread(lambda: list(store_envelopes(args.url, args.token)))
        produced = [t.name for t in ALL_TOPICS if t.producer == args.service]
        read.update(since=None, offsets={})  # a comparison needs the whole topic
        topics = await read_topics(topics=produced, **read)
        findings = compare(args.service, stored, topics, known_only=args.known_subjects_only)
        if args.dossier:
            findings = [f for f in findings if f.dossier in set(args.dossier)]
    for finding in findings:
        print(finding)
    print(f"{len(findings)} finding(s)", file=sys.stderr)
    return 1 if findings else 0


def main(argv: list[str] | None = None) -> int:
    return asyncio.run(run(parser().parse_args(argv)))


if __name__ == "__main__":
    raise SystemExit(main())
