"""The public look-up's guard (domain/lookup_guard.py): a code is locked after wrong ID digits."""

from __future__ import annotations

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from ..domain.lookup_guard import LookupGuard
from .base import ProcessingBase


class LookupCommands(ProcessingBase):
    def lookup_locked(self, code: str) -> bool:
        try:
            guard: LookupGuard = self.repository.get(LookupGuard.id_for(code))
        except AggregateNotFoundError:
            return False
        return guard.locked(self.clock.now())

    def note_wrong_digits(self, code: str) -> None:
        for _ in range(5):  # two wrong guesses at once: the second is recorded after the first
            try:
                guard: LookupGuard = self.repository.get(LookupGuard.id_for(code))
            except AggregateNotFoundError:
                guard = LookupGuard(id=LookupGuard.id_for(code), dossier_code=code)
            guard.wrong_digits(self.clock.now())
            try:
                self.save(guard)
                return
            except IntegrityError:
                continue
