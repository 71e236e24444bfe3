"""Timelines out of the tool: JSON (whole states) or CSV (one row per step)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from dvc_contracts.timeline import DossierState

COLUMNS = (
    "dossier_code", "dossier_id", "step", "event_id", "event_type", "label", "at",
    "actor_id", "actor_role", "actor_unit", "unit_code", "status", "reason", "rule",
)  # fmt: skip


def write_json(states: list[DossierState], out: Path) -> None:
    data = [s.model_dump(mode="json") for s in states]
    out.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def write_csv(states: list[DossierState], out: Path) -> None:
    with out.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(COLUMNS)
        for state in states:
            for i, step in enumerate(state.steps, start=1):
                writer.writerow(
                    (
                        state.dossier_code, state.dossier_id, i, step.event_id, step.event_type, step.label,
                        step.at.isoformat(), step.actor.id, step.actor.role, step.actor.unit or "",
                        step.unit_code or "", step.status or "", step.reason or "", step.rule or "",
                    )
                )  # fmt: skip
