"""Time passing is an event too: due-soon one working day ahead, and breaches at the due time."""

from __future__ import annotations

import asyncio
import logging

from .application import ProcessingApplication
from .board import Board
from .deadlines import due_soon_from

log = logging.getLogger(__name__)


class DeadlineWatcher:
    def __init__(self, app: ProcessingApplication, board: Board, interval: float = 30.0) -> None:
        self.app = app
        self.board = board
        self.interval = interval

    def check(self) -> int:
        """One round over open dossiers; returns how many events it recorded."""
        now = self.app.clock.now()
        recorded = 0
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
