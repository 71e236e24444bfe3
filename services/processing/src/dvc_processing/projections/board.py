"""Officer queues and the supervisors' dashboard: a projection of processing's own log.

It is rebuilt from the events at every start (nothing here is a source of truth) and then
follows new events, folding each dossier's public events with the shared `timeline.fold`.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification

from dvc_contracts import Envelope
from dvc_contracts.timeline import DossierState, Working, start, state_of, step
from dvc_kernel.logfollow import follow_log
from dvc_kernel.telemetry.metrics import VIEW_LAG

from ..application import ProcessingApplication
from ..domain.case import Case
from ..domain.complaint import Complaint
from .applicant import applicant_in
from .timelines import Timelines, history_of

# Read-your-writes (ADR 0023): how long a write takes to show in the officers' views, on the
# kernel's one view-lag histogram (view=board beside the inboxes' view=inbox).
_REPLAY = 60.0  # a lag this long is the board being rebuilt at start, not a view lag


def observe_view_lag(event: Any, now: float) -> None:
    if isinstance(event, Case.Received):
        lag, source = now - event.submitted_at.timestamp(), "intake"
    else:
        lag, source = now - event.timestamp.timestamp(), "processing"
    if 0 <= lag < _REPLAY:
        VIEW_LAG.record(lag, {"view": "board", "source": source})


OPEN_STATUSES = frozenset({"received", "accepted", "supplement_requested", "approved"})


@dataclass(frozen=True)
class Rate:
    unit_code: str
    procedure_code: str
    decided: int
    on_time: int
    open: int
    overdue: int
    several_supplement_rounds: int = 0  # dossiers asked for a supplement more than once

    @property
    def on_time_rate(self) -> float | None:
        return round(self.on_time / self.decided, 4) if self.decided else None


@dataclass(frozen=True)
class Due:
    """An open dossier with an appointment, as the deadline watcher and gauges need it."""

    dossier_id: UUID
    unit_code: str | None
    due_at: datetime
    overdue: bool


class States(Mapping[UUID, DossierState]):
    """Each dossier's state, folded as plain data event by event and made a `DossierState`
    only when read (then kept until its next event): validating the whole state at every
    event cost more than the rest of the fold. The open dossiers with an appointment are kept
    apart, so the deadline watcher never converts every state."""

    def __init__(self) -> None:
        self._working: dict[UUID, Working] = {}
        self._states: dict[UUID, DossierState] = {}
        self.due: dict[UUID, Due] = {}

    def step(self, dossier_id: UUID, envelope: Envelope) -> None:
        working = self._working.get(dossier_id)
        if working is None:
            working = self._working[dossier_id] = start(envelope)
        step(working, envelope)
        self._states.pop(dossier_id, None)
        due_at = working["due_at"]
        if working["status"] in OPEN_STATUSES and due_at is not None:
            if isinstance(due_at, str):  # as the payload had it; the state makes it a datetime
                due_at = datetime.fromisoformat(due_at)
            self.due[dossier_id] = Due(dossier_id, working["unit_code"], due_at, bool(working["overdue"]))
        else:
            self.due.pop(dossier_id, None)

    def __getitem__(self, dossier_id: UUID) -> DossierState:
        state = self._states.get(dossier_id)
        if state is None:
            state = self._states[dossier_id] = state_of(self._working[dossier_id])
        return state

    def __iter__(self) -> Iterator[UUID]:
        return iter(self._working)

    def __len__(self) -> int:
        return len(self._working)


class Board:
    def __init__(self, app: ProcessingApplication) -> None:
        self.app = app
        self.timelines = Timelines(history_of(app))
        self.dossiers = States()
        self.complaints: dict[UUID, dict[str, Any]] = {}
        # Not on the public timeline state: the applicant's name (for the officers' queue,
        # read from the Submitted that processing consumed) and the supplement rounds.
        self.applicant_names: dict[UUID, str] = {}
        self.supplement_rounds: dict[UUID, int] = defaultdict(int)
        self.position = 0

    async def run(self) -> None:
        await follow_log(self.app, 0, self._apply)

    async def _apply(self, notification: Notification, event: Any) -> None:
        self.apply_event(event)
        self.position = notification.id
        if isinstance(event, Case.Event):
            observe_view_lag(event, time.time())

    def apply_event(self, event: Any) -> None:
        if isinstance(event, Case.Received):
            name = applicant_in(event.cause).get("full_name")
            if name:
                self.applicant_names[event.originator_id] = str(name)
        elif isinstance(event, Case.SupplementRequested):
            self.supplement_rounds[event.originator_id] += 1
        if isinstance(event, Complaint.Filed):
            self.complaints[event.originator_id] = {
                "complaint_id": event.originator_id,
                "dossier_id": event.dossier_id,
                "owner_account": event.owner_account,
                "dossier_code": event.dossier_code,
                "unit_code": event.unit_code,
                "superior_unit": event.superior_unit,
                "text": event.text,
                "filed_at": event.filed_at,
                "respond_by": event.respond_by,
                "resolution": None,
                "resolved_at": None,
                "on_time": None,
            }
        elif isinstance(event, Complaint.Resolved) and event.originator_id in self.complaints:
            self.complaints[event.originator_id].update(
                resolution=event.resolution, resolved_at=event.resolved_at, on_time=event.on_time
            )
        for envelope in self.timelines.envelopes([event], sealed=False):
            if "dossier_id" not in envelope.payload:
                continue
            self.dossiers.step(UUID(str(envelope.payload["dossier_id"])), envelope)

    def queue(
        self,
        units: Iterable[str],
        status: str | None = None,
        procedure: str | None = None,
        min_rounds: int = 0,
    ) -> list[DossierState]:
        wanted = set(units)
        found = [
            d
            for d in self.dossiers.values()
            if d.unit_code in wanted
            and (d.status == status if status else d.status in OPEN_STATUSES)
            and (procedure is None or d.procedure_code == procedure)
            and self.supplement_rounds.get(d.dossier_id, 0) >= min_rounds
        ]
        return sorted(found, key=lambda d: (d.due_at is None, d.due_at or datetime.max, d.dossier_code))

    def open_with_due_dates(self) -> list[Due]:
        return list(self.dossiers.due.values())

    def rates(self, units: Iterable[str] | None, now: datetime) -> list[Rate]:
        wanted = set(units) if units is not None else None
        counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
        for d in self.dossiers.values():
            if d.unit_code is None or (wanted is not None and d.unit_code not in wanted):
                continue
            row = counts[(d.unit_code, d.procedure_code or "")]
            row[4] += int(self.supplement_rounds.get(d.dossier_id, 0) > 1)
            if d.on_time is not None:
                row[0] += 1
                row[1] += int(d.on_time)
            elif d.status in OPEN_STATUSES:
                row[2] += 1
                row[3] += int(d.due_at is not None and d.due_at < now)
        return [Rate(unit, procedure, *row) for (unit, procedure), row in sorted(counts.items())]

    def complaints_of(self, owner_account: str) -> list[dict[str, Any]]:
        """A citizen's own complaints with their answers, newest first."""
        mine = [c for c in self.complaints.values() if c["owner_account"] == owner_account]
        return sorted(mine, key=lambda c: c["filed_at"], reverse=True)

    def complaint_ids_of(self, dossier_id: UUID) -> list[UUID]:
        return [c["complaint_id"] for c in self.complaints.values() if c["dossier_id"] == dossier_id]

    def complaints_for(self, units: Iterable[str], open_only: bool = True) -> list[dict[str, Any]]:
        wanted = set(units)
        found = [
            c
            for c in self.complaints.values()
            if c["superior_unit"] in wanted and (c["resolution"] is None or not open_only)
        ]
        return sorted(found, key=lambda c: c["respond_by"])
