"""`find` answers None for an aggregate that does not exist or is of another kind, never raises."""

from __future__ import annotations

from uuid import uuid4

from eventsourcing.domain import Aggregate, event

from dvc_kernel.application import ServiceApplication


class Dossier(Aggregate):
    @event("Filed")
    def __init__(self, code: str) -> None:
        self.code = code


class Note(Aggregate):
    @event("Written")
    def __init__(self) -> None:
        pass


def test_find_gives_the_aggregate_of_the_kind_asked_or_nothing() -> None:
    app = ServiceApplication()
    dossier = Dossier("261123-ABCDEF-1")
    app.save(dossier)
    found = app.find(Dossier, dossier.id)
    assert found is not None and found.code == "261123-ABCDEF-1"
    assert app.find(Note, dossier.id) is None
    assert app.find(Dossier, uuid4()) is None
