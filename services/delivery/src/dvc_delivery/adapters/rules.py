"""The delivery rules' data files, read once from the package."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

import yaml

from ..domain.pickup import PickupData, PickupRules
from ..domain.postal import PostalData, PostalRules


def _load(name: str) -> Any:
    return yaml.safe_load(files("dvc_delivery").joinpath(f"data/{name}").read_text(encoding="utf-8"))


@cache
def pickup_rules() -> PickupRules:
    data: PickupData = _load("pickup.yaml")
    return PickupRules.from_data(data)


@cache
def postal_rules() -> PostalRules:
    data: PostalData = _load("postal.yaml")
    return PostalRules.from_data(data)
