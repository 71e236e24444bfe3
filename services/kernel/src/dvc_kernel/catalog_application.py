"""The base of the services that judge dossiers by the law of the day: a clock, to say what day it
is, and the catalog replica, to say which procedure version was in force then. Tests pass a fixed
clock and a filled replica; a running service fills its replica from the catalog's topics."""

from __future__ import annotations

from .application import ServiceApplication
from .catalog_replica import CatalogReplica
from .clock import Clock, SystemClock


class CatalogAwareApplication(ServiceApplication):
    def __init__(
        self,
        env: dict[str, str] | None = None,
        *,
        clock: Clock | None = None,
        catalog: CatalogReplica | None = None,
    ) -> None:
        super().__init__(env)
        self.clock = clock or SystemClock()
        self.catalog = catalog or CatalogReplica()
