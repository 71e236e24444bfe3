"""Our adapter to the postal operator (interface + HTTP client)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from dvc_kernel import http_clients


@dataclass(frozen=True)
class Order:
    tracking_number: str
    fee_vnd: int


class PostalProvider(Protocol):
    async def create_order(
        self, order_ref: str, address: dict[str, str], from_province_code: str | None
    ) -> Order:
        """Hand a parcel to the post; the same `order_ref` twice gives the same order."""
        ...

    async def request_attempt(self, tracking_number: str, attempt: int) -> None:
        """Ask for delivery attempt number `attempt`; asking twice for one attempt is harmless."""
        ...


class PostalError(Exception):
    """The operator refused or could not be reached; the dispatcher tries again later."""


class HttpPostalProvider:
    def __init__(self, base_url: str, api_key: str, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout
        self.client = http_clients.AsyncClients(
            target="postal-operator", timeout=timeout
        )  # pooled, per event loop

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"}

    async def create_order(
        self, order_ref: str, address: dict[str, str], from_province_code: str | None
    ) -> Order:
        body = {"order_ref": order_ref, "from_province_code": from_province_code, **address}
        answer = await self.client().post(f"{self.base_url}/v1/orders", json=body, headers=self._headers())
        if answer.status_code not in (200, 201):
            raise PostalError(f"create order {order_ref}: {answer.status_code} {answer.text}")
        data = answer.json()
        return Order(tracking_number=str(data["tracking_number"]), fee_vnd=int(data["fee_vnd"]))

    async def request_attempt(self, tracking_number: str, attempt: int) -> None:
        answer = await self.client().post(
            f"{self.base_url}/v1/orders/{tracking_number}/attempts",
            json={"attempt": attempt},
            headers=self._headers(),
        )
        if answer.status_code not in (200, 201, 202):
            raise PostalError(f"attempt {attempt} of {tracking_number}: {answer.status_code} {answer.text}")
