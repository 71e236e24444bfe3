"""Postal delivery against the simulator process: orders over HTTP, signed webhooks back.

The simulator runs as its own process (as the dev stack starts it); delivery's webhook is served
by a real HTTP server, and its dispatcher follows the store as in the service. Ports come from
this suite's block (18600-18699).
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from dvc_contracts.delivery import DeliveryFailed, ResultDelivered, ResultDispatched
from dvc_delivery.adapters.postal_client import HttpPostalProvider
from dvc_delivery.adapters.postal_dispatcher import PostalDispatcher
from dvc_delivery.adapters.postal_protocol import SECRET_ENV
from dvc_testing.simulator_process import simulator_process

from .conftest import POSTAL_SECRET, World


def free_port(start: int) -> int:
    for port in range(start, 18700):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 18600-18699")


class Webhook:
    """Delivery's HTTP routers served for real, so the simulator can call back."""

    def __init__(self, world: World) -> None:
        self.port = free_port(18620)
        self.server = uvicorn.Server(
            uvicorn.Config(world.http, host="127.0.0.1", port=self.port, log_level="warning")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Webhook:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            assert time.monotonic() < deadline, "webhook server did not start"
            time.sleep(0.05)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def simulator(tmp_path: Path, world: World) -> Iterator[tuple[str, Webhook]]:
    with Webhook(world) as webhook:
        port = free_port(18610)
        env = {
            "POSTAL_SIM_PORT": str(port),
            "DELIVERY_URL": f"http://127.0.0.1:{webhook.port}",
            "DVC_DATA_DIR": str(tmp_path),
            SECRET_ENV: POSTAL_SECRET,
            "POSTAL_SIM_STEP_SECONDS": "0.05",
        }
        url = f"http://127.0.0.1:{port}"
        with simulator_process("postal_operator", env, url, tmp_path / "postal-sim.log"):
            yield url, webhook


async def until(condition: object, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "condition not reached in time"
        await asyncio.sleep(0.05)


async def test_a_failed_delivery_is_retried_then_delivered(
    world: World, simulator: tuple[str, Webhook]
) -> None:
    url, _ = simulator
    async with httpx.AsyncClient() as client:
        failing = await client.post(f"{url}/v1/test/fail-next", json={"reason": "Người nhận vắng nhà"})
    failing.raise_for_status()
    dispatcher = asyncio.create_task(
        PostalDispatcher(world.app, HttpPostalProvider(url, POSTAL_SECRET)).run()
    )
    try:
        dossier_id = world.submit(mode="post")
        world.issue(dossier_id, "post")
        await until(lambda: "ResultDelivered" in world.types(dossier_id))
    finally:
        dispatcher.cancel()

    published = world.published(dossier_id)
    assert [p.event_type for p in published] == ["ResultDispatched", "DeliveryFailed", "ResultDelivered"]
    dispatched, failed, delivered = published
    assert isinstance(dispatched, ResultDispatched) and dispatched.postal_fee_vnd == 26000
    assert dispatched.tracking_number is not None and dispatched.tracking_number.endswith("VN")
    assert (
        isinstance(failed, DeliveryFailed)
        and failed.reason == "Người nhận vắng nhà"
        and failed.next_step == "retry"
    )
    assert isinstance(delivered, ResultDelivered) and delivered.channel == "post"
    history = world.client.get(f"/v1/results/{dossier_id}", headers=world.owner()).json()["tracking"]
    assert [(u["status"], u["attempt"]) for u in history] == [
        ("accepted", 1),
        ("in_transit", 1),
        ("failed", 1),
        ("in_transit", 2),
        ("delivered", 2),
    ]


def test_the_simulator_refuses_an_unknown_client(simulator: tuple[str, Webhook]) -> None:
    url, _ = simulator
    answer = httpx.post(
        f"{url}/v1/orders", json={"order_ref": "x"}, headers={"Authorization": "Bearer guess"}
    )
    assert answer.status_code == 401
