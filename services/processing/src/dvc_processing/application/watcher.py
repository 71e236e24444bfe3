"""Time passing is an event too: due-soon one working day ahead, and breaches at the due time.
A revised working calendar is one too: open dossiers counted by another version are counted
again (ADR 0023)."""

from __future__ import annotations

import asyncio
import logging

from dvc_calendar import CalendarVersions
from dvc_calendar.instants import to_vietnam

from ..domain.deadlines import calendar_on, due_soon_from
from ..projections.board import Board
from . import ProcessingApplication

log = logging.getLogger(__name__)


class DeadlineWatcher:
    def __init__(
        self,
        app: ProcessingApplication,
        board: Board,
        interval: float = 30.0,
        versions: CalendarVersions | None = None,
    ) -> None:
        self.app = app
        self.versions = versions  # the packaged calendar versions unless given
        self.board = board
        self.interval = interval
        self.calendar_version: int | None = None  # the calendar version last swept for

    def check(self) -> int:
        """One round over open dossiers; returns how many events it recorded."""
        now = self.app.clock.now()
        recorded = 0
        calendar = calendar_on(to_vietnam(now, "now").date(), strict=False, versions=self.versions)
        if calendar.version != self.calendar_version:
            # At start and when a new version takes effect: one pass over the open dossiers
            # (each loaded once); the board shows the new dates from its next round.
            for dossier in self.board.open_with_due_dates():
                recorded += self.app.recalculate_due_date(dossier.dossier_id, calendar)
            self.calendar_version = calendar.version
        for dossier in self.board.open_with_due_dates():
            assert dossier.due_at is not None
            breached = now >= dossier.due_at
            due_soon = now >= due_soon_from(dossier.due_at)
            if (breached and not dossier.overdue) or (due_soon and not breached):
                recorded += len(self.app.watch_deadline(dossier.dossier_id, due_soon=due_soon))
        return recorded

    async def run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            recorded = await asyncio.to_thread(self.check)
            if recorded:
                log.info("deadline watcher recorded %d events", recorded)
