"""Keeps the published catalog in step with the data files while the service runs.

Operators revise the law's facts by adding a version file; the running catalog notices the
change, validates the whole data set, publishes what is new and serves it. A data set with an
error is refused whole and the previous catalog keeps being served.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from .application import CatalogApplication, PublishReport
from .domain.catalog import Catalog
from .domain.ledger import PublishedVersionChanged
from .loading import load_catalog
from .loading.errors import CatalogDataError

log = logging.getLogger(__name__)


def fingerprint(data_dir: Path) -> tuple[tuple[str, int, int], ...]:
    return tuple(
        (str(p.relative_to(data_dir)), p.stat().st_mtime_ns, p.stat().st_size)
        for p in sorted(data_dir.rglob("*"))
        if p.is_file()
    )


class Publisher:
    def __init__(self, app: CatalogApplication, data_dir: Path, interval: float = 2.0) -> None:
        self.app = app
        self.data_dir = data_dir
        self.interval = interval
        self._catalog: Catalog | None = None
        self._seen: tuple[tuple[str, int, int], ...] = ()
        self.published_up_to = 0  # notification id the relay must reach for readiness

    def current(self) -> Catalog:
        if self._catalog is None:
            raise RuntimeError("catalog not loaded yet")
        return self._catalog

    def load_and_publish(self) -> PublishReport:
        seen = fingerprint(self.data_dir)
        catalog = load_catalog(self.data_dir)
        report = self.app.publish(catalog)
        self._catalog, self._seen = catalog, seen
        self.published_up_to = self.app.recorder.max_notification_id() or 0
        if report:
            log.info(
                "published %d procedure versions and %d units: %s",
                len(report.versions),
                report.units,
                ", ".join(report.versions),
            )
        return report

    async def watch(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            if fingerprint(self.data_dir) == self._seen:
                continue
            try:
                await asyncio.to_thread(self.load_and_publish)  # its commit wakes the relay
            except (CatalogDataError, PublishedVersionChanged) as refused:
                self._seen = fingerprint(self.data_dir)  # do not retry until the files change
                log.error("catalog revision refused, still serving the previous one: %s", refused)
                continue
