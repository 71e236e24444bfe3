"""Dossiers due soon and overdue per unit, as gauges over the supervisors' board.

Due soon and overdue mean what the deadline watcher means: from one working day before the
due time, and from the due time on, for dossiers still open. The counts are taken in the
event loop, where the board changes, every `interval` seconds; a scrape reads the last ones.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache

from dvc_kernel.telemetry.metrics import ObservedGauge, Sample

from ..domain.deadlines import due_soon_from
from .board import Board

DUE_SOON = ObservedGauge(
    "dvc.dossiers.due_soon",
    "{dossier}",
    "Open dossiers within one working day of their due time, by the unit deciding them.",
)
OVERDUE = ObservedGauge(
    "dvc.dossiers.overdue", "{dossier}", "Open dossiers past their due time, by the unit deciding them."
)


@lru_cache(maxsize=4096)  # dossiers share due times (office hours): one calendar walk each
def _due_soon_from(due_at: datetime) -> datetime:
    return due_soon_from(due_at)


class DeadlineGauges:
    def __init__(self, board: Board, interval: float = 10.0) -> None:
        self.board = board
        self.interval = interval
        self.due_soon: Counter[str] = Counter()
        self.overdue: Counter[str] = Counter()
        self.units: set[str] = set()
        DUE_SOON.watch(self.due_soon_samples)
        OVERDUE.watch(self.overdue_samples)

    def count(self, now: datetime) -> None:
        due_soon: Counter[str] = Counter()
        overdue: Counter[str] = Counter()
        units: set[str] = set()
        for dossier in self.board.open_with_due_dates():
            if dossier.unit_code is None or dossier.due_at is None:
                continue
            units.add(dossier.unit_code)  # a unit with open dossiers shows its zeros too
            if now >= dossier.due_at:
                overdue[dossier.unit_code] += 1
            elif now >= _due_soon_from(dossier.due_at):
                due_soon[dossier.unit_code] += 1
        self.due_soon, self.overdue, self.units = due_soon, overdue, units

    async def run(self) -> None:
        """Count now and then; as a background job of the service it also keeps this alive."""
        while True:
            self.count(self.board.app.clock.now())
            await asyncio.sleep(self.interval)

    def due_soon_samples(self) -> Iterable[Sample]:
        return [(float(self.due_soon[unit]), {"unit": unit}) for unit in sorted(self.units)]

    def overdue_samples(self) -> Iterable[Sample]:
        return [(float(self.overdue[unit]), {"unit": unit}) for unit in sorted(self.units)]
