"""The working calendar and deadline rules (pure; data from packaged YAML files).

Instants in and out are timezone-aware; rules are evaluated in Asia/Ho_Chi_Minh.
See docs/decisions/0003-working-calendar-and-deadlines.md.
"""

from .calendar_data import CalendarEntry, EntryKind, EntryStatus, parse_year_file
from .deadlines import Deadline, compute_due, judged
from .errors import CalendarDataError, NaiveDateTimeError
from .lodging import (
    LodgingAssessment,
    LodgingDeadline,
    LodgingRule,
    assess_lodging_notice,
    load_lodging_rule,
    lodging_notice_due,
)
from .office_hours import OfficeHours, Session, load_office_hours, parse_office_hours
from .rules import DeadlineKind, DeadlineRule, SupplementPolicy, parse_deadline_rule
from .supplement import due_after_supplement
from .versions import (
    CalendarVersion,
    CalendarVersions,
    NoCalendarData,
    load_versions,
    packaged_calendar,
    packaged_entries,
)
from .window import is_open, next_opening
from .working_calendar import DayStatus, WorkingCalendar

__all__ = [
    "CalendarDataError",
    "CalendarEntry",
    "CalendarVersion",
    "CalendarVersions",
    "DayStatus",
    "Deadline",
    "DeadlineKind",
    "DeadlineRule",
    "EntryKind",
    "EntryStatus",
    "LodgingAssessment",
    "LodgingDeadline",
    "LodgingRule",
    "NaiveDateTimeError",
    "NoCalendarData",
    "OfficeHours",
    "Session",
    "SupplementPolicy",
    "WorkingCalendar",
    "assess_lodging_notice",
    "compute_due",
    "due_after_supplement",
    "is_open",
    "judged",
    "load_lodging_rule",
    "load_office_hours",
    "load_versions",
    "lodging_notice_due",
    "next_opening",
    "packaged_calendar",
    "packaged_entries",
    "parse_deadline_rule",
    "parse_office_hours",
    "parse_year_file",
]
