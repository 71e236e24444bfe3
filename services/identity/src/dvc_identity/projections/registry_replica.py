"""The replica of the population database, held in memory and loaded from a CSV extract.

By default the extract is a deterministic seed written into the data directory on first start:
the fixed demo residents of ``data/demo_residents.csv`` followed by generated households in
real wards. An operator replaces it with ``dvc-identity-registry load <csv>``; running
instances notice the new file (``reload_if_changed``).
"""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Mapping
from datetime import date
from importlib import resources
from pathlib import Path

from ..domain.divisions import ward_codes
from ..domain.registry import DeclaredIdentity, RegistryMatch, Resident, match_declared
from ..domain.registry_csv import LoadReport, load_csv_command, load_residents, write_residents
from ..domain.seed import generate_residents

log = logging.getLogger(__name__)

SEED_SIZE = 3000
SEED = 20250701
SEED_ANCHOR = date(2025, 7, 1)  # ages are counted from here, not from the clock: same file every time


def demo_residents() -> list[Resident]:
    text = resources.files("dvc_identity.data").joinpath("demo_residents.csv").read_text("utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    result = load_residents(lines, known_wards=ward_codes())
    if result.rejected:
        raise ValueError(f"bad demo resident: {result.rejected}")
    return result.accepted


def seed_residents() -> list[Resident]:
    demo = demo_residents()
    taken_ids = {r.id_number for r in demo}
    taken_phones = {r.phone for r in demo if r.phone}
    generated = generate_residents(SEED_SIZE, sorted(ward_codes()), seed=SEED, today=SEED_ANCHOR)
    return demo + [r for r in generated if r.id_number not in taken_ids and r.phone not in taken_phones]


def write_atomically(path: Path, residents: list[Resident]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    out = io.StringIO()
    write_residents(residents, out)
    aside = path.with_name(f".{path.name}.{os.getpid()}")
    aside.write_text(out.getvalue(), encoding="utf-8")
    os.replace(aside, path)


def ensure_seed(path: Path) -> bool:
    """Write the seed at ``path`` unless a file is there; True when written."""
    if path.exists():
        return False
    write_atomically(path, seed_residents())
    return True


class RegistryReplica:
    def __init__(self, residents: Mapping[str, Resident], path: Path | None = None) -> None:
        self._residents = dict(residents)
        self.path = path
        self._mtime = path.stat().st_mtime_ns if path is not None and path.exists() else None

    @classmethod
    def of(cls, residents: list[Resident]) -> RegistryReplica:
        return cls({r.id_number: r for r in residents})

    @classmethod
    def from_file(cls, path: Path, today: date) -> RegistryReplica:
        replica = cls({}, path)
        replica._load(today)
        return replica

    def __len__(self) -> int:
        return len(self._residents)

    def match(self, declared: DeclaredIdentity) -> RegistryMatch:
        return match_declared(declared, self._residents)

    def reload_if_changed(self, today: date) -> bool:
        if self.path is None or not self.path.exists():
            return False
        if self.path.stat().st_mtime_ns == self._mtime:
            return False
        self._load(today)
        return True

    def _load(self, today: date) -> LoadReport:
        assert self.path is not None
        mtime = self.path.stat().st_mtime_ns
        report = load_csv_command(self.path, today=today, known_wards=ward_codes())
        self._residents = {r.id_number: r for r in report.result.accepted}
        self._mtime = mtime
        log.info(
            "registry replica loaded from %s: %d residents, %d rows rejected",
            self.path,
            len(report.result.accepted),
            len(report.result.rejected),
        )
        return report
