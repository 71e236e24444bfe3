"""The maintained list of refusal reasons (data file), looked up by code."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

import yaml


@dataclass(frozen=True)
class Reason:
    code: str
    label: str
    legal_basis: str


@cache
def reasons() -> dict[str, Reason]:
    raw: dict[str, Any] = yaml.safe_load(
        files("dvc_processing").joinpath("data/rejection_reasons.yaml").read_text(encoding="utf-8")
    )
    return {r["code"]: Reason(r["code"], r["label"], r["legal_basis"]) for r in raw["reasons"]}


@cache
def letters() -> dict[str, str]:
    raw: dict[str, str] = yaml.safe_load(
        files("dvc_processing").joinpath("data/letters.yaml").read_text(encoding="utf-8")
    )
    return raw


@cache
def supplement_round_reasons() -> dict[str, str]:
    """Why a dossier may be sent back for a supplement again: code -> Vietnamese label."""
    raw: dict[str, Any] = yaml.safe_load(
        files("dvc_processing").joinpath("data/supplement_round_reasons.yaml").read_text(encoding="utf-8")
    )
    return {r["code"]: r["label"] for r in raw["reasons"]}
