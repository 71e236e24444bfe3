"""Identity's eventsourcing application over its own event store."""

from __future__ import annotations

from dvc_kernel.application import ServiceApplication


class IdentityApplication(ServiceApplication):
    name = "identity"
