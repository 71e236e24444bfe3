"""The load generator in a process of its own, driven by the benchmark over a pipe (one JSON
line per command and per answer).

Its own process so that its CPU per request is measured apart from the benchmark's topic
watcher, and so that neither delays the other's event loop. Times are `time.monotonic()`,
one clock for every process of the machine, so the watcher's "seen at" and the generator's
"due at" compare directly.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import sys
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import orjson

from dvc_kernel.lean_http import Client, HTTPError
from dvc_testing.e2e import Person

from .config import REPO
from .loadgen import Timed, arrivals, closed_loop, open_loop
from .workload import ROUTES, Answer, Citizen, Host, Kind, answer_of, dossier_body, lodging_body

PIPE_LIMIT = 1 << 28  # one answer line holds every request of a step


class Filer:
    """Files dossiers and notices through intake, each with its idempotency key."""

    def __init__(self, intake_url: str, citizens: list[Citizen], hosts: list[Host]) -> None:
        url = urlsplit(intake_url)
        self.client = Client(url.hostname or "127.0.0.1", url.port or 80)
        self.citizens, self.hosts = citizens, hosts
        # Every guest arrived when the generator started: a notice sent again under its key must
        # be the same notice, or intake refuses the key as reused.
        self.arrived = datetime.now(UTC).replace(microsecond=0)

    async def file(self, kind: Kind, who: int, key: str) -> Answer:
        if kind == "dossier":
            citizen = self.citizens[who]
            token, body = citizen.token, dossier_body(citizen, key)
        else:
            host = self.hosts[who]
            token, body = host.token, lodging_body(host, self.arrived)
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": key}
        try:
            answer = await self.client.post(ROUTES[kind][0], body, headers)
        except HTTPError as error:
            return Answer(None, None, key, who, f"HTTPError: {error}")
        return answer_of(kind, answer.status, answer.body, key, who)


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic collection during a loop: one mid-step would delay requests (and be charged to
    their latency). Nothing the loop builds forms cycles; reference counting frees it."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _row(t: Timed[Answer]) -> list[Any]:
    a = t.result
    return [t.index, t.due, t.sent, t.done, a.status, a.id, a.key, a.who, a.error]


async def serve() -> None:
    """Commands from stdin, answers to stdout, until stdin closes."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=PIPE_LIMIT)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    filer: Filer | None = None
    while line := await reader.readline():
        command = orjson.loads(line)
        op = command["op"]
        if op == "setup":
            citizens = [Citizen(**{**c, "person": Person(**c["person"])}) for c in command["citizens"]]
            hosts = [Host(**{**h, "guest": Person(**h["guest"])}) for h in command["hosts"]]
            filer = Filer(command["intake"], citizens, hosts)
            answer: Any = {"ok": True}
        else:
            assert filer is not None, "setup first"
            answer = await _run(filer, command)
        sys.stdout.buffer.write(orjson.dumps(answer) + b"\n")
        sys.stdout.buffer.flush()


async def _run(filer: Filer, command: dict[str, Any]) -> Any:
    kind: Kind = command.get("kind", "dossier")
    who: list[int] = command.get("who", [])
    prefix: str = command.get("prefix", "")

    def file(i: int) -> Any:
        return filer.file(kind, who[i % len(who)], f"{prefix}-{i}")

    if command["op"] == "open":
        with paused_gc():  # a collection mid-step would delay requests, charged to their latency
            timed = await open_loop(arrivals(command["rate"], command["seconds"]), file)
        return [_row(t) for t in timed]
    if command["op"] == "closed":
        answers = await closed_loop(command["count"], file, command["concurrency"], command["seconds"])
        return [asdict(a) for a in answers]
    if command["op"] == "again":  # the same requests again, with their keys
        answers = await asyncio.gather(*(filer.file(k, w, key) for k, w, key in command["requests"]))
        return [asdict(a) for a in answers]
    raise ValueError(f"unknown command {command['op']!r}")


class LoadProcess:
    """The benchmark's side of the pipe."""

    def __init__(self) -> None:
        self.process: asyncio.subprocess.Process | None = None
        self.lock = asyncio.Lock()

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    async def start(self, intake_url: str, citizens: Sequence[Citizen], hosts: Sequence[Host]) -> None:
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bench.loadproc",
            cwd=REPO,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            limit=PIPE_LIMIT,
        )
        setup = {
            "op": "setup",
            "intake": intake_url,
            "citizens": [asdict(c) for c in citizens],
            "hosts": [asdict(h) for h in hosts],
        }
        await self._ask(setup)

    async def _ask(self, command: dict[str, Any]) -> Any:
        assert self.process is not None and self.process.stdin and self.process.stdout
        async with self.lock:
            self.process.stdin.write(orjson.dumps(command) + b"\n")
            await self.process.stdin.drain()
            line = await self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the load generator exited ({self.process.returncode})")
        return orjson.loads(line)

    async def open_loop(
        self, kind: Kind, who: Sequence[int], rate: float, seconds: float, prefix: str
    ) -> list[Timed[Answer]]:
        """`rate` requests a second for `seconds`, request i by `who[i % len(who)]` under the key
        `prefix-i`, whatever the answers (see `loadgen.open_loop`)."""
        command = {"op": "open", "kind": kind, "who": list(who), "rate": rate, "seconds": seconds}
        rows = await self._ask({**command, "prefix": prefix})
        return [Timed(i, due, sent, done, Answer(*answer)) for i, due, sent, done, *answer in rows]

    async def closed_loop(
        self, kind: Kind, who: Sequence[int], concurrency: int, seconds: float, prefix: str
    ) -> list[Answer]:
        """A filing by each of `who` in turn, `concurrency` at a time, none started after
        `seconds` (see `loadgen.closed_loop`)."""
        command = {"op": "closed", "kind": kind, "who": list(who), "count": len(who), "seconds": seconds}
        answers = await self._ask({**command, "concurrency": concurrency, "prefix": prefix})
        return [Answer(**a) for a in answers]

    async def again(self, requests: Sequence[tuple[Kind, int, str]]) -> list[Answer]:
        """Each (kind, who, key) request sent again: 200 says the first one filed it."""
        return [Answer(**a) for a in await self._ask({"op": "again", "requests": list(requests)})]

    async def stop(self) -> None:
        if self.process is None:
            return
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            await asyncio.wait_for(self.process.wait(), 10)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()


if __name__ == "__main__":
    asyncio.run(serve())
