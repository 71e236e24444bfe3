"""Read-your-writes (issue 16): a citizen sent to the delivery page right after filing, with the
filing's consistency token, sees the dossier rather than a stale "not found"; if delivery has
not learnt it within the bound, the answer is a 503 with `Retry-After`."""

from __future__ import annotations

import threading
from uuid import uuid4

import pytest

from dvc_kernel import consistency
from dvc_testing.new_dossiers import new_submitted

from .conftest import HOA, OWNER, UNIT, World


def filed(world: World) -> tuple[threading.Timer, str, str]:
    """A dossier filed at intake that delivery learns a moment later (its consumer's lag)."""
    submitted = new_submitted("R", owner_account=OWNER, applicant=HOA, unit_code=UNIT, delivery_mode="pickup")
    later = threading.Timer(0.2, world.tell, (submitted, "intake.dossier.v1", "intake"))
    token = consistency.aggregate_token("intake", submitted.dossier_id, 1)
    return later, submitted.dossier_code, token


def test_the_result_page_right_after_filing_waits_for_the_filing_the_token_names(world: World) -> None:
    later, code, token = filed(world)
    assert world.client.get(f"/v1/results/{code}", headers=world.owner()).status_code == 404
    later.start()
    answer = world.client.get(f"/v1/results/{code}", headers={**world.owner(), consistency.HEADER: token})
    later.join()
    assert answer.status_code == 200
    assert answer.json()["dossier_code"] == code


def test_the_slots_page_takes_the_token_as_a_parameter_after_a_redirect(world: World) -> None:
    later, code, token = filed(world)
    later.start()
    answer = world.client.get(
        f"/v1/pickup/{code}/slots", params={"consistency": token}, headers=world.owner()
    )
    later.join()
    assert answer.status_code == 200


def test_a_write_not_shown_within_the_bound_is_a_503_to_retry(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(consistency, "WAIT_SECONDS", 0.05)
    token = consistency.aggregate_token("intake", uuid4(), 1)
    answer = world.client.get(
        "/v1/results/261123-000000-X", headers={**world.owner(), consistency.HEADER: token}
    )
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "1"
    assert answer.json()["code"] == "not_yet_visible"


def test_a_malformed_token_is_refused(world: World) -> None:
    answer = world.client.get(
        "/v1/results/261123-000000-X", params={"consistency": "x"}, headers=world.owner()
    )
    assert answer.status_code == 422
    assert answer.json()["code"] == "invalid_consistency_token"
