"""Delivery's domain events -> public contract events (none are published yet)."""

from __future__ import annotations

from typing import Any

from dvc_kernel.envelopes import Outgoing


def translate(event: Any) -> Outgoing | None:
    return None
