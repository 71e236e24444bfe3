"""The documented state machine is the one the code enforces."""

from __future__ import annotations

from dvc_processing.domain.case import TRANSITIONS
from dvc_processing.statedoc import DOC, EVENTS, RESULT, render


def test_every_action_is_documented() -> None:
    assert set(EVENTS) == set(TRANSITIONS) == set(RESULT)


def test_the_committed_table_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), "run `make docs`"
