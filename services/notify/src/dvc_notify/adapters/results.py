"""The signed e-result, fetched from delivery's internal endpoint to go with the e-mail.

Delivery signs the PDF and says so on its topic (`ResultDispatched`); notify fetches the very
file, checks it is the one the event names (SHA-256), and attaches it. If delivery cannot
serve it yet, the fetch fails like any other attempt and the message is tried again later.
"""

from __future__ import annotations

import hashlib
from typing import Protocol
from uuid import UUID

import httpx

from dvc_kernel import http_clients
from dvc_kernel.local_secrets import SERVICE_SECRET_HEADER


class ResultNotAvailable(RuntimeError):
    pass


class ResultDocuments(Protocol):
    async def fetch(self, dossier_id: UUID, expected_sha256: str | None) -> bytes:
        """The signed PDF of the dossier's result; raises ResultNotAvailable."""
        ...


class DeliveryResultDocuments:
    def __init__(self, base_url: str, secret: str, timeout: float = 30.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.client = http_clients.AsyncClients(
            self.base_url, target="delivery", timeout=timeout, headers={SERVICE_SECRET_HEADER: secret}
        )

    async def fetch(self, dossier_id: UUID, expected_sha256: str | None) -> bytes:
        url = f"{self.base_url}/v1/internal/results/{dossier_id}/document.pdf"
        try:
            answer = await self.client().get(url)
        except httpx.HTTPError as exc:
            raise ResultNotAvailable(f"delivery unreachable: {exc!r}") from exc
        if answer.status_code != 200:
            raise ResultNotAvailable(f"delivery answered {answer.status_code} for {url}")
        content = answer.content
        if not content.startswith(b"%PDF-"):
            raise ResultNotAvailable("delivery's answer is not a PDF")
        if expected_sha256 and hashlib.sha256(content).hexdigest() != expected_sha256:
            raise ResultNotAvailable("the PDF is not the one ResultDispatched names (SHA-256 differs)")
        return content
