"""A service's local replica of the catalog, followed from the compacted catalog topics.

Every instance reads both topics from the beginning without a consumer group (each needs all
of it), applies every `ProcedureVersionPublished` and `UnitPublished`, and keeps following, so
a revision published while the service runs is seen within moments. The replica counts as
caught up once it has read up to the end offsets it found when it started.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date

from dvc_contracts import Envelope
from dvc_contracts.catalog import ProcedureVersionPublished, UnitPublished
from dvc_contracts.registry import UnknownEventType, payload_of
from dvc_contracts.topics import CATALOG_PROCEDURE, CATALOG_UNIT

from .topic_follower import follow_topics

log = logging.getLogger(__name__)


class CatalogReplica:
    def __init__(self) -> None:
        self.procedures: dict[str, dict[int, ProcedureVersionPublished]] = {}
        self.units: dict[str, UnitPublished] = {}
        self.applied = 0
        self._caught_up = asyncio.Event()

    @property
    def caught_up(self) -> bool:
        return self._caught_up.is_set()

    async def wait_caught_up(self) -> None:
        await self._caught_up.wait()

    def apply(self, envelope: Envelope) -> None:
        try:
            payload = payload_of(envelope)
        except UnknownEventType:
            return
        if isinstance(payload, ProcedureVersionPublished):
            self.procedures.setdefault(payload.code, {})[payload.version] = payload
        elif isinstance(payload, UnitPublished):
            self.units[payload.code] = payload
        self.applied += 1

    def version(self, code: str, number: int) -> ProcedureVersionPublished | None:
        return self.procedures.get(code, {}).get(number)

    def in_force(self, code: str, on: date) -> ProcedureVersionPublished | None:
        """The version in force on `on` (Vietnam date): the latest that took effect by then."""
        candidates = [v for v in self.procedures.get(code, {}).values() if v.effective_from <= on]
        return max(candidates, key=lambda v: (v.effective_from, v.version), default=None)

    async def follow(self, bootstrap: str) -> None:
        """Read both topics from the beginning, then keep following them."""

        def caught_up() -> None:
            self._caught_up.set()
            log.info(
                "catalog replica caught up: %d procedures, %d units", len(self.procedures), len(self.units)
            )

        await follow_topics(
            bootstrap, [CATALOG_PROCEDURE.name, CATALOG_UNIT.name], self.apply, caught_up=caught_up
        )
