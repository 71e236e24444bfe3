"""Errors raised by the working calendar; both are ValueErrors so callers can map them to 4xx."""

from __future__ import annotations


class NaiveDateTimeError(ValueError):
    """A datetime without an offset: we cannot tell which instant it means, so we refuse it."""

    def __init__(self, argument: str) -> None:
        super().__init__(
            f"{argument} must be timezone-aware (carry a UTC offset); naive datetimes are refused"
        )
        self.argument = argument


class CalendarDataError(ValueError):
    """A calendar data file is malformed; the message names the file and the field."""

    def __init__(self, file: str, field: str, problem: str) -> None:
        super().__init__(f"{file}: field '{field}': {problem}")
        self.file = file
        self.field = field
        self.problem = problem
