"""Is the declared applicant the person the national population database knows?

The portal accepts declared personal data only when it matches the population database; a
mismatch sends the citizen to the commune police to have it corrected (procedures.md §9).
Identity keeps the registry replica and answers `POST /v1/registry/match` to services that
present the shared service secret (`X-Service-Secret`). It never says which field differs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

import httpx

from dvc_kernel import http_clients
from dvc_kernel.auth.registry_stamp import stamp_matches
from dvc_kernel.local_secrets import SERVICE_SECRET_HEADER
from dvc_kernel.threads import in_thread

REGISTRY_UNAVAILABLE = (
    "Hệ thống tạm thời không đối chiếu được thông tin với Cơ sở dữ liệu quốc gia về dân cư. "
    "Hồ sơ chưa được nộp; vui lòng thử lại sau ít phút."
)


@dataclass(frozen=True)
class DeclaredPerson:
    id_number: str
    full_name: str
    date_of_birth: date


@dataclass(frozen=True)
class RegistryVerdict:
    matched: bool
    code: str | None = None
    message: str | None = None  # the portal's message for the citizen when not matched


class RegistryUnavailable(Exception):
    """The registry could not be asked; nothing may be filed on a guess."""


class RegistryCheck(Protocol):
    def check(self, person: DeclaredPerson) -> RegistryVerdict: ...


async def verdict_of(
    registry: RegistryCheck, person: DeclaredPerson, *, stamp: str | None = None, secret: str | None = None
) -> RegistryVerdict:
    """The registry's word on `person`. When the caller's token carries identity's registry
    stamp of this very person (they file for themselves), that is it (ADR 0018). Otherwise
    the registry is asked, without holding a worker thread when it can (HTTP), else in one."""
    if secret is not None and stamp_matches(
        secret, stamp, person.id_number, person.full_name, person.date_of_birth
    ):
        return RegistryVerdict(True, "stamped")
    asking = getattr(registry, "check_async", None)
    if asking is not None:
        verdict: RegistryVerdict = await asking(person)
        return verdict
    return await in_thread(registry.check, person)


class HttpRegistryCheck:
    """Identity's registry endpoint over HTTP: pooled connections, for the event loop (the
    one-shot filing) and for worker threads (drafts)."""

    PATH = "/v1/registry/match"

    def __init__(self, base_url: str, service_secret: str, timeout: float = 5.0) -> None:
        headers = {SERVICE_SECRET_HEADER: service_secret}
        self._client = http_clients.client(base_url, target="identity", timeout=timeout, headers=headers)
        self._async = http_clients.async_client(base_url, target="identity", timeout=timeout, headers=headers)

    def check(self, person: DeclaredPerson) -> RegistryVerdict:
        try:
            response = self._client.post(self.PATH, json=_body(person))
        except httpx.HTTPError as error:
            raise RegistryUnavailable(str(error)) from error
        return _verdict(response)

    async def check_async(self, person: DeclaredPerson) -> RegistryVerdict:
        try:
            response = await self._async.post(self.PATH, json=_body(person))
        except httpx.HTTPError as error:
            raise RegistryUnavailable(str(error)) from error
        return _verdict(response)

    def close(self) -> None:
        self._client.close()


def _body(person: DeclaredPerson) -> dict[str, str]:
    return {
        "id_number": person.id_number,
        "full_name": person.full_name,
        "date_of_birth": person.date_of_birth.isoformat(),
    }


def _verdict(response: httpx.Response) -> RegistryVerdict:
    if response.status_code != 200:
        raise RegistryUnavailable(f"identity answered {response.status_code}: {response.text[:200]}")
    answer = response.json()
    return RegistryVerdict(bool(answer["matched"]), answer.get("code"), answer.get("message"))
