"""Timelines out of the tool: JSON (whole states) or CSV (one row per step)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path

from dvc_contracts.timeline import DossierState

COLUMNS = (
    "dossier_code", "dossier_id", "step", "event_id", "event_type", "label", "at",
    "actor_id", "actor_role", "actor_unit", "unit_code", "status", "reason", "rule",
)  # fmt: skip


def write_json(states: Iterable[DossierState], out: Path) -> int:
    """A JSON array of the states, written one state at a time; how many were written."""
    count = 0
    with out.open("w", encoding="utf-8") as file:
        for state in states:
            text = json.dumps(state.model_dump(mode="json"), ensure_ascii=False, indent=2)
            file.write(("[\n  " if count == 0 else ",\n  ") + text.replace("\n", "\n  "))
            count += 1
        file.write("\n]\n" if count else "[]\n")
    return count


def write_csv(states: Iterable[DossierState], out: Path) -> int:
    """One row per step, written one state at a time; how many states were written."""
    count = 0
    with out.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(COLUMNS)
        for state in states:
            count += 1
            for i, step in enumerate(state.steps, start=1):
                writer.writerow(
                    (
                        state.dossier_code, state.dossier_id, i, step.event_id, step.event_type, step.label,
                        step.at.isoformat(), step.actor.id, step.actor.role, step.actor.unit or "",
                        step.unit_code or "", step.status or "", step.reason or "", step.rule or "",
                    )
                )  # fmt: skip
    return count
