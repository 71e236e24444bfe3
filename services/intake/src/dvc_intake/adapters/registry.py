"""Is the declared applicant the person the national population database knows?

The portal accepts declared personal data only when it matches the population database; a
mismatch sends the citizen to the commune police to have it corrected.
Identity keeps the registry replica and answers `POST /v1/registry/match` to services that
present the shared service secret (`X-Service-Secret`). It never says which field differs.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass
from datetime import date
from typing import Protocol

import orjson
from opentelemetry import context as otel_context

from dvc_kernel.auth.registry_stamp import stamp_matches
from dvc_kernel.lean_http import Client, HTTPError, Response
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
    """Identity's registry endpoint over HTTP, on kept-alive connections of the kernel's lean
    client: a lodging notice asks once per guest, and through httpx those calls were about a
    third of intake's CPU under lodging load. The event loop (the one-shot filing) awaits
    `check_async`; worker threads (drafts, lodging) call `check`, which hands the request, with
    the thread's trace, to the adapter's own event loop and waits."""

    PATH = "/v1/registry/match"

    def __init__(self, base_url: str, service_secret: str, timeout: float = 5.0) -> None:
        self.timeout = timeout
        headers = {SERVICE_SECRET_HEADER: service_secret}
        self._client = Client.for_url(base_url, timeout=timeout, headers=headers, target="identity")
        self._loop: asyncio.AbstractEventLoop | None = None
        self._starting = threading.Lock()

    def check(self, person: DeclaredPerson) -> RegistryVerdict:
        parent = otel_context.get_current()  # this thread's trace, carried to the adapter's loop

        async def asked() -> RegistryVerdict:
            token = otel_context.attach(parent)
            try:
                return await self.check_async(person)
            finally:
                otel_context.detach(token)

        try:
            return asyncio.run_coroutine_threadsafe(asked(), self._background()).result(2 * self.timeout + 1)
        except TimeoutError as error:  # connecting and answering each had `timeout`
            raise RegistryUnavailable("identity did not answer in time") from error

    async def check_async(self, person: DeclaredPerson) -> RegistryVerdict:
        try:  # a client span `POST identity`, whose context identity's server span continues
            answer = await self._client.post(self.PATH, orjson.dumps(_body(person)), {})
        except HTTPError as error:
            raise RegistryUnavailable(str(error)) from error
        return _verdict(answer)

    def _background(self) -> asyncio.AbstractEventLoop:
        with self._starting:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                threading.Thread(target=loop.run_forever, name="registry-client", daemon=True).start()
                self._loop = loop
            return self._loop

    def close(self) -> None:
        self._client.close()
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)


def _body(person: DeclaredPerson) -> dict[str, str]:
    return {
        "id_number": person.id_number,
        "full_name": person.full_name,
        "date_of_birth": person.date_of_birth.isoformat(),
    }


def _verdict(response: Response) -> RegistryVerdict:
    if response.status != 200:
        text = response.body[:200].decode(errors="replace")
        raise RegistryUnavailable(f"identity answered {response.status}: {text}")
    answer = orjson.loads(response.body)
    return RegistryVerdict(bool(answer["matched"]), answer.get("code"), answer.get("message"))
