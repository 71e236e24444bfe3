"""Deadlines of a dossier from the catalog version it was filed under and the working calendar."""

from __future__ import annotations

from datetime import datetime

from dvc_contracts.catalog import ProcedureVersionPublished

from .domain.calendar import Deadline, DeadlineRule, compute_due, load_office_hours, parse_deadline_rule


def rule_of(version: ProcedureVersionPublished) -> DeadlineRule:
    return parse_deadline_rule(version.deadline.model_dump(mode="json"))


def due_for(version: ProcedureVersionPublished, submitted_at: datetime, unit_code: str | None) -> Deadline:
    """The deadline counts from the successful submission of the complete dossier, in the
    office hours of the unit that decides it."""
    return compute_due(submitted_at, rule_of(version), office_hours=load_office_hours(unit_code))
