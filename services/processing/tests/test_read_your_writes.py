"""Read-your-writes: a command's answer carries a consistency token; a view given it waits
(bounded) until it shows that write, or answers 503 with Retry-After, never stale data."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from eventsourcing.persistence import Tracking

from dvc_kernel import consistency
from dvc_kernel.application import Incoming
from dvc_testing import factories
from dvc_testing.new_dossiers import new_submitted

from .test_officer_api import OWNER, SUBMITTED_AT, TOKENS, UNIT, World

OFFICER = TOKENS.headers("officer", (UNIT,))


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    monkeypatch.setattr(consistency, "WAIT_SECONDS", 0.3)
    yield World()


def test_an_officer_action_answers_with_the_position_it_wrote(world: World) -> None:
    code = world.submit()
    accepted = world.post(code, "accept")
    token = accepted.headers[consistency.HEADER]
    assert token.startswith("processing@")
    position = int(token.split("@")[1])
    (written,) = world.app.recorder.select_notifications(position, 1)
    assert written.id == position and written.topic.endswith("Case.Accepted")  # not the read it records


def test_the_queue_waits_for_the_officers_own_write_or_says_503(world: World) -> None:
    code = world.submit()
    world.refresh_board()
    token = world.post(code, "accept").headers[consistency.HEADER]

    # The board has not applied the acceptance yet: no stale "received", a clear 503.
    stale = world.client.get("/v1/queue", headers={**OFFICER, consistency.HEADER: token})
    assert stale.status_code == 503 and stale.headers["Retry-After"] == "1"
    assert stale.json()["code"] == "not_yet_visible"

    # The board catches up while the view waits: the answer shows the write.
    threading.Timer(0.05, world.refresh_board).start()
    fresh = world.client.get("/v1/queue", params={"consistency": token}, headers=OFFICER)
    assert fresh.status_code == 200
    assert [(r["dossier_code"], r["status"]) for r in fresh.json()] == [(code, "accepted")]


def test_tracking_right_after_submission_waits_instead_of_answering_not_found(world: World) -> None:
    # Filed at intake, not yet learnt by processing.
    payload = new_submitted(unit_code=UNIT, owner_account=OWNER, submitted_at=SUBMITTED_AT)
    dossier_id, code = payload.dossier_id, payload.dossier_code
    token = consistency.aggregate_token("intake", dossier_id, 2)  # as intake's 201 gives it
    owner = TOKENS.headers("citizen", subject=OWNER)
    early = world.client.get(f"/v1/dossiers/{code}", headers={**owner, consistency.HEADER: token})
    assert early.status_code == 503  # not 404: the dossier exists, processing has not caught up

    envelope = factories.envelope(payload, dossier_id).model_copy(update={"aggregate_version": 2})

    def receive() -> None:
        world.app.process_incoming(Incoming(envelope, payload), Tracking("intake.dossier.v1:0", 99))

    threading.Timer(0.05, receive).start()
    shown = world.client.get(f"/v1/dossiers/{code}", params={"consistency": token}, headers=owner)
    assert shown.status_code == 200 and shown.json()["status"] == "received"


def test_a_malformed_token_is_a_clear_422_and_no_token_does_not_wait(world: World) -> None:
    bad = world.client.get("/v1/queue", headers={**OFFICER, consistency.HEADER: "soon"})
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_consistency_token"
    assert world.client.get("/v1/queue", headers=OFFICER).status_code == 200


class Recorded:
    def __init__(self) -> None:
        self.values: list[tuple[float, dict[str, str]]] = []

    def record(self, value: float, attributes: dict[str, str]) -> None:
        self.values.append((round(value, 3), attributes))


def test_view_lag_is_measured_from_the_write_to_the_board(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dvc_processing.projections import board

    recorded = Recorded()
    monkeypatch.setattr(board, "VIEW_LAG", recorded)
    code = world.submit()
    world.post(code, "accept")
    received, accepted = world.app.case_events(world.app.case_by_code(code).id)  # type: ignore[union-attr]
    board.observe_view_lag(received, received.submitted_at.timestamp() + 0.04)
    board.observe_view_lag(accepted, accepted.timestamp.timestamp() + 0.055)
    board.observe_view_lag(accepted, accepted.timestamp.timestamp() + 3600)  # the board rebuilt at start
    assert recorded.values == [
        (0.04, {"view": "board", "source": "intake"}),
        (0.055, {"view": "board", "source": "processing"}),
    ]
