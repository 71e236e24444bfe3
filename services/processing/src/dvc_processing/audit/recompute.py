"""`dvc-audit recompute`: count every recorded due date again, years later, from the public log
alone, with the versions then in force, and report any that differ (ADR 0023).

Each due date on the log says which calendar version counted it (`calendar_version`; events
from before calendars were versioned say nothing, and the version in force on their day is
taken); the deadline rule is the catalog version the dossier was filed under, read from the
catalog's compacted topic. The inputs are the log's own instants: the submission, the
supplement request, the citizen's resubmission. A difference means the data or the code that
counted has changed since, and is reported, never corrected.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dvc_calendar import CalendarVersion, CalendarVersions
from dvc_calendar.instants import to_vietnam
from dvc_contracts import Envelope
from dvc_contracts.catalog import ProcedureVersionPublished
from dvc_contracts.topics import CATALOG_PROCEDURE

from ..domain.deadlines import calendar_on, due_after_resubmission, due_for
from .replay import DOSSIER_TOPICS, Record, dossier_events, read_topics

# Events that set or move a due date, and the field holding it.
_SETS_DUE = {"Received": "due_at", "ResubmissionReceived": "due_at", "DueDateRecalculated": "new_due_at"}


@dataclass(frozen=True)
class Recount:
    dossier: str
    event_type: str
    event_id: str
    calendar_version: int | None
    recorded: datetime | None
    recomputed: datetime | None
    problem: str | None = None  # why it could not be counted again

    @property
    def differs(self) -> bool:
        return self.problem is not None or self.recorded != self.recomputed

    def as_dict(self) -> dict[str, Any]:
        return {
            "dossier": self.dossier,
            "event_type": self.event_type,
            "event_id": self.event_id,
            "calendar_version": self.calendar_version,
            "recorded": self.recorded.isoformat() if self.recorded else None,
            "recomputed": self.recomputed.isoformat() if self.recomputed else None,
            "problem": self.problem,
        }


def catalog_versions(records: Iterable[Record]) -> dict[tuple[str, int], ProcedureVersionPublished]:
    """Every procedure version on the catalog topic (the last record of a key wins, as compaction)."""
    found: dict[tuple[str, int], ProcedureVersionPublished] = {}
    for record in records:
        if record.envelope.event_type == "ProcedureVersionPublished":
            version = ProcedureVersionPublished.model_validate(record.envelope.payload)
            found[(version.code, version.version)] = version
    return found


def recount(
    code: str,
    events: list[Envelope],
    catalog: dict[tuple[str, int], ProcedureVersionPublished],
    calendars: CalendarVersions | None = None,
) -> list[Recount]:
    """Each due date of one dossier's events (in log order), counted again."""
    calendars = calendars or CalendarVersions.packaged()
    out: list[Recount] = []
    received: dict[str, Any] | None = None
    requested_at: datetime | None = None
    resubmitted_at: datetime | None = None
    for envelope in events:
        p = envelope.payload
        kind = envelope.event_type
        if kind == "Received":
            received = p
        elif kind == "SupplementRequested":
            requested_at = datetime.fromisoformat(p["requested_at"])
        elif kind == "Resubmitted":
            resubmitted_at = datetime.fromisoformat(p["resubmitted_at"])
        if kind not in _SETS_DUE or p.get(_SETS_DUE[kind]) is None or received is None:
            continue
        recorded = datetime.fromisoformat(p[_SETS_DUE[kind]])
        number = p.get("new_calendar_version") if kind == "DueDateRecalculated" else p.get("calendar_version")
        try:
            calendar = _calendar(calendars, number, envelope.occurred_at)
            version = catalog.get((received["procedure_code"], received.get("procedure_version") or 0))
            if version is None:
                missing = f"{received['procedure_code']} v{received.get('procedure_version')}"
                raise LookupError(f"catalog version {missing} is not on the log")
            submitted = datetime.fromisoformat(received.get("submitted_at") or received["received_at"])
            unit = received.get("unit_code")
            if requested_at is not None and resubmitted_at is not None and kind != "Received":
                deadline = due_after_resubmission(
                    version, submitted, requested_at, resubmitted_at, unit, calendar=calendar
                )
            else:
                deadline = due_for(version, submitted, unit, calendar=calendar)
        except (LookupError, ValueError) as cannot:
            out.append(Recount(code, kind, str(envelope.event_id), number, recorded, None, str(cannot)))
            continue
        out.append(Recount(code, kind, str(envelope.event_id), calendar.version, recorded, deadline.due_at))
    return out


def _calendar(calendars: CalendarVersions, number: int | None, at: datetime) -> CalendarVersion:
    if number is not None:
        return calendars.version(number)  # KeyError (a LookupError) for a version we lack
    return calendar_on(to_vietnam(at, "occurred_at").date(), strict=False, versions=calendars)


def recount_all(
    dossiers: dict[str, list[Envelope]],
    catalog_records: Iterable[Record],
    *,
    code: str | None = None,
    received_from: datetime | None = None,
    received_until: datetime | None = None,
    calendars: CalendarVersions | None = None,
) -> list[Recount]:
    """Every due date of one dossier (`code`) or of every dossier received in the period."""
    catalog = catalog_versions(catalog_records)
    out: list[Recount] = []
    for events in dossiers.values():  # keyed by dossier id
        first = next((e for e in events if e.event_type == "Received"), None)
        if first is None:
            continue
        dossier = str(first.payload["dossier_code"])
        if code is not None and dossier != code:
            continue
        at = datetime.fromisoformat(first.payload["received_at"])
        if (received_from and at < received_from) or (received_until and at >= received_until):
            continue
        out.extend(recount(dossier, events, catalog, calendars))
    return sorted(out, key=lambda r: r.dossier)


def add_parser(commands: Any, instant: Any) -> None:
    recompute = commands.add_parser(
        "recompute", help="count every due date again with the versions then in force; report differences"
    )
    recompute.add_argument("code", nargs="?", help="one dossier (default: every dossier in the period)")
    recompute.add_argument("--from", dest="received_from", type=instant, help="received at or after")
    recompute.add_argument("--until", dest="received_until", type=instant, help="received before")
    recompute.add_argument("--all", action="store_true", help="list every due date, not only differences")


def report(args: argparse.Namespace, recounts: list[Recount]) -> tuple[list[dict[str, Any]], int]:
    """What to print, and the exit status: 1 when any due date differs, 2 for an unknown dossier."""
    if args.code and not recounts:
        return [], 2
    differing = [r for r in recounts if r.differs]
    shown = recounts if args.all else differing
    return [r.as_dict() for r in shown], 1 if differing else 0


async def run(args: argparse.Namespace, read: dict[str, Any], show: Callable[[Any], None]) -> int:
    topics = await read_topics(topics=DOSSIER_TOPICS, **read)
    # The catalog's compacted topic is read whole: a dossier may be filed under an old version.
    catalog = await read_topics(read["bootstrap"], topics=[CATALOG_PROCEDURE.name])
    recounts = recount_all(
        dossier_events(topics),
        catalog.get(CATALOG_PROCEDURE.name, []),
        code=args.code,
        received_from=args.received_from,
        received_until=args.received_until,
    )
    shown, status = report(args, recounts)
    show(shown)
    differing = sum(r.differs for r in recounts)
    print(f"{len(recounts)} due date(s) counted again, {differing} differ", file=sys.stderr)
    return status
