"""Deterministic aggregate ids: an index or a challenge is found again from its value alone."""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

_ROOT = uuid5(NAMESPACE_URL, "https://dichvucong.bocongan.gov.vn/identity")


def derived_id(kind: str, value: str) -> UUID:
    return uuid5(_ROOT, f"{kind}\x1f{value}")
