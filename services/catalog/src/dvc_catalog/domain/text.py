"""Text folding for search: citizens type Vietnamese with or without diacritics."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z.]+")


def fold(text: str) -> str:
    """Lower-case, strip diacritics and collapse punctuation to single spaces.

    `đ` is a letter of its own, not `d` plus a combining mark, so NFD leaves it alone:
    it is mapped by hand.
    """
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", stripped).strip()


def tokens(text: str) -> tuple[str, ...]:
    return tuple(fold(text).split())
