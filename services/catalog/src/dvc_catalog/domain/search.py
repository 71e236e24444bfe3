"""Procedure search: filters by field and level, and text search tolerant of missing diacritics."""

from __future__ import annotations

from collections.abc import Iterable

from .procedures import ProcedureVersion
from .text import fold


def _haystack(version: ProcedureVersion) -> str:
    # The field name is left out: "Đăng ký, quản lý cư trú" would make every residence
    # procedure match "dang ky"; filter by field instead.
    parts = [version.name, version.code, *(s.name for s in version.sub_types)]
    return " ".join(fold(p) for p in parts)


def search(
    versions: Iterable[ProcedureVersion],
    *,
    q: str | None = None,
    field: str | None = None,
    level: int | None = None,
) -> list[ProcedureVersion]:
    """Matching versions; with `q`, names containing the whole phrase come first.

    Every word of `q` must occur as a word (or word prefix) of the name, code or
    sub-types, so "dang ky tam tru" finds "Đăng ký tạm trú" but not "Đăng ký thường trú".
    """
    candidates = [
        v
        for v in versions
        if (field is None or v.field.code == field) and (level is None or v.level == level)
    ]
    phrase = fold(q) if q else ""
    if not phrase:
        return sorted(candidates, key=lambda v: v.code)
    words = phrase.split()
    hits = []
    for v in candidates:
        hay = _haystack(v).split()
        if all(any(h.startswith(w) for h in hay) for w in words):
            in_name = f" {phrase} " in f" {fold(v.name)} "
            hits.append((not in_name, fold(v.name) != phrase, v.code, v))
    hits.sort(key=lambda hit: hit[:3])
    return [hit[3] for hit in hits]
