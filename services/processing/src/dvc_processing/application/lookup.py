"""The public look-up's guard (domain/lookup_guard.py): a code is locked after wrong ID digits."""

from __future__ import annotations

from eventsourcing.persistence import IntegrityError

from ..domain.lookup_guard import LookupGuard
from .base import ProcessingBase


class LookupCommands(ProcessingBase):
    def lookup_locked(self, code: str) -> bool:
        guard = self.find(LookupGuard, LookupGuard.id_for(code))
        return guard is not None and guard.locked(self.clock.now())

    def note_wrong_digits(self, code: str) -> None:
        for _ in range(5):  # two wrong guesses at once: the second is recorded after the first
            guard = self.find(LookupGuard, LookupGuard.id_for(code))
            if guard is None:
                guard = LookupGuard(id=LookupGuard.id_for(code), dossier_code=code)
            guard.wrong_digits(self.clock.now())
            try:
                self.save(guard)
                return
            except IntegrityError:
                continue
