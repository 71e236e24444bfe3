"""Processing's application: named commands grouped by who uses them, its queries, and its
policy for consumed events, composed into the one application `main.build()` runs.

- `officer.py` — officers and supervisors of the dossier's unit act on it;
- `complaints.py` — citizens complain, supervisors of the superior unit answer;
- `system.py` — what time makes true (due soon, breach, a revised calendar), run by `watcher.py`;
- `lookup.py`, `queries.py` — what routes read, the public look-up's guard;
- `policy.py` — reactions to intake's, payment's and delivery's events.
"""

from __future__ import annotations

from dvc_kernel.application import event_types

from .complaints import ComplaintCommands
from .officer import OfficerCommands
from .policy import CONSUMED, Policy
from .queries import Queries
from .system import SystemCommands


class ProcessingApplication(Policy, OfficerCommands, ComplaintCommands, SystemCommands, Queries):
    name = "processing"  # its store's tables and tracking records are named so: never the class name
    handles = event_types(*CONSUMED)


__all__ = ["ProcessingApplication"]
