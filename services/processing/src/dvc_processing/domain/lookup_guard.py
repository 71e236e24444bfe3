"""The public status look-up's guard: a dossier code locked after wrong ID digits.

`GET /v1/public/dossiers/{code}?id_last_digits=…` answers anyone holding the code and the last
4 digits of the applicant's ID number. Without a limit, 10,000 guesses confirm the digits. After
`MAX_WRONG` wrong answers within `WINDOW`, the code is locked for `LOCK` from the last one: every
look-up answers "not found", right digits included, as an unknown code does, so the lock itself
tells nothing. The wrong answers are events in processing's store, so the guard holds across
instances and restarts.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

MAX_WRONG = 5
WINDOW = timedelta(hours=1)
LOCK = timedelta(hours=1)


def locked_until(wrong_at: list[datetime]) -> datetime | None:
    """When the code opens again, if the last `MAX_WRONG` wrong answers fell within `WINDOW`."""
    recent = sorted(wrong_at)[-MAX_WRONG:]
    if len(recent) == MAX_WRONG and recent[-1] - recent[0] <= WINDOW:
        return recent[-1] + LOCK
    return None


class LookupGuard(Aggregate):
    @staticmethod
    def id_for(dossier_code: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"https://dichvucong.bocongan.gov.vn/lookup-guard/{dossier_code}")

    @event("Created")
    def __init__(self, id: UUID, dossier_code: str) -> None:
        self.dossier_code = dossier_code
        self.wrong_at: list[datetime] = []

    @event("WrongDigits")
    def wrong_digits(self, at: datetime) -> None:
        self.wrong_at = [*self.wrong_at, at][-MAX_WRONG:]

    def locked(self, now: datetime) -> bool:
        until = locked_until(self.wrong_at)
        return until is not None and now < until
