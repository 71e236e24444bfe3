"""Notify publishes no public event yet: delivery outcomes come with the notification issue."""

from __future__ import annotations

from typing import Any

from dvc_kernel.envelopes import Outgoing


def translate(event: Any) -> Outgoing | None:
    return None
