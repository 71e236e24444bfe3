"""The names `subjects` gives the kernel are fields of the published events: a renamed field
would otherwise silently stop tying logs and spans to their dossier."""

from __future__ import annotations

from dvc_contracts.registry import EVENT_TYPES
from dvc_contracts.subjects import CONTEXT_FIELDS


def test_every_context_field_is_named_by_some_published_event() -> None:
    for name in CONTEXT_FIELDS:
        assert any(name in cls.model_fields for cls in EVENT_TYPES.values()), name
