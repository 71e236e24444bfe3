"""The delivery rules' data files, read once from the package."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

import yaml

from ..domain.pickup import PickupRules
from ..domain.postal import PostalRules


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(
        files("dvc_delivery").joinpath(f"data/{name}").read_text(encoding="utf-8")
    )
    return data


@cache
def pickup_rules() -> PickupRules:
    return PickupRules.from_data(_load("pickup.yaml"))


@cache
def postal_rules() -> PostalRules:
    return PostalRules.from_data(_load("postal.yaml"))
