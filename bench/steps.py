"""One step of load: a fixed rate of dossiers or lodging notices for a while, open loop, with
what it cost and whether the system kept up (bench/README.md, "A step is sustained")."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import math
import os
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from .config import PLATFORM, Config
from .knee import Limits, growth_per_second, verdict
from .loadgen import Timed
from .loadproc import LoadProcess
from .resources import Sample, quiet, total
from .stats import percentile
from .system import System
from .tracker import LagProbe, Seen, Tracker
from .traffic import Offsets, Topics, moved
from .workload import Answer, Kind

# The stack counts as back to idle once it uses no more than its idle CPU plus this share of a
# core over a second: before a step (so none pays for the previous one's tail) and after it (so
# a step's cost includes the work its dossiers cause downstream: fees, messages, deliveries).
QUIET_MARGIN = 0.05


def ms(seconds: float) -> float:
    return seconds * 1000


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


async def sample_every(interval: float, take: Callable[[], Awaitable[None]]) -> None:
    while True:
        with contextlib.suppress(Exception):  # a slow or refused probe only loses a sample
            await take()
        await asyncio.sleep(interval)


class Load:
    """One repetition's load: the generator, the watchers, and every answer so far."""

    def __init__(self, config: Config, run: int, system: System, generator: LoadProcess) -> None:
        self.config = config
        self.run = run
        self.generator = generator
        self.tracker = Tracker(system.bootstrap)
        self.lag = {kind: LagProbe(system.bootstrap, kind) for kind in ("dossier", "lodging")}
        self.topics = Topics(system.bootstrap)
        self.answers: list[tuple[Kind, Answer]] = []
        self.pids = {**system.pids(), "bench": os.getpid(), "loadgen": generator.pid}
        self.limits = Limits(config.http_p99_limit_ms, config.e2e_p99_limit_ms, config.growth_limit)
        self.idle_cores = 0.0  # the platform's CPU with no load, once measured
        self.snapshots: dict[str, tuple[Offsets, Offsets]] = {}  # step label -> ends before, after

    async def start(self) -> None:
        await self.tracker.start()
        for probe in self.lag.values():
            await probe.start()
        await self.topics.start()

    async def stop(self) -> None:
        await self.topics.stop()
        for probe in self.lag.values():
            await probe.stop()
        await self.tracker.stop()

    def report(self, step: dict[str, Any]) -> None:
        verdict = "sustained" if step["sustained"] else "NOT sustained: " + "; ".join(step["why_not"])
        say(
            f"run {self.run} {step['label']}: {step['offered_per_s']:g}/s  "
            f"ack p99 {step['http_p99_ms']:.0f} ms  "
            f"e2e p50 {step['e2e_p50_ms']:.0f} p99 {step['e2e_p99_ms']:.0f} ms  "
            f"received {step['received_per_s']:.1f}/s  {step['cpu_ms_per_item_platform']:.1f} CPU-ms each  "
            f"generator {step['loadgen_cpu_us_per_request']:.0f} us/request  {verdict}"
        )

    def seen(self, kind: Kind) -> Seen:
        return self.tracker.received if kind == "dossier" else self.tracker.notices_received

    def known(self, kind: Kind) -> set[str]:
        return {a.id for k, a in self.answers if k == kind and a.id is not None}

    async def drained(self, kind: Kind, ids: set[str], seconds: float) -> float:
        """Seconds until every one of `ids` was seen received, waiting at most `seconds`."""
        started = time.monotonic()
        received = self.seen(kind).first
        while True:
            if ids <= received.keys() or time.monotonic() - started > seconds:
                return time.monotonic() - started
            await asyncio.sleep(0.05)

    async def quiet(self) -> float:
        cores = self.idle_cores + QUIET_MARGIN
        return await quiet(self.pids, PLATFORM, cores, self.config.quiet_seconds)

    async def idle(self) -> dict[str, Any]:
        """The platform's CPU with no load over `idle_seconds`, as percent of one core."""
        before, started = Sample.take(self.pids), time.monotonic()
        await asyncio.sleep(self.config.idle_seconds)
        cpu, seconds = Sample.take(self.pids).minus(before), time.monotonic() - started
        self.idle_cores = total(cpu, PLATFORM) / seconds
        return {
            "seconds": seconds,
            "cpu_percent": 100 * self.idle_cores,
            "cpu_percent_by_process": {name: 100 * c / seconds for name, c in cpu.items()},
        }

    async def fill(self, kind: Kind, who: Sequence[int], label: str) -> dict[str, Any]:
        """A filing by each of `who` in turn, as fast as the system takes them (a history to
        measure on, not a measurement: one request in flight per filer) for at most
        `fill_seconds`, then until all are received."""
        started = time.monotonic()
        prefix = f"bench-{self.run}-{label}"
        answers = await self.generator.closed_loop(kind, who, len(set(who)), self.config.fill_seconds, prefix)
        self.answers += [(kind, a) for a in answers]
        ids = {a.id for a in answers if a.id is not None}
        await self.drained(kind, ids, self.config.drain_seconds * 4)
        seconds = time.monotonic() - started
        return {"filed": len(ids), "failed": len(answers) - len(ids), "seconds": seconds}

    async def warm_up(self, kind: Kind, who: Sequence[int], count: int) -> None:
        """`count` filings at the first rate, not counted: the first step does not pay for
        first connections and caches."""
        rate = self.config.curve_rates[0]
        sent = await self.generator.open_loop(kind, who, rate, count / rate, f"bench-{self.run}-{kind}-warm")
        self.answers += [(kind, t.result) for t in sent]
        await self.drained(kind, self.known(kind), self.config.drain_seconds)

    async def step(self, kind: Kind, rate: float, who: Sequence[int], label: str) -> dict[str, Any]:
        """`rate` filings a second for `step_seconds`, by `who` in turn; judged and costed."""
        await self.drained(kind, self.known(kind), self.config.drain_seconds)  # what earlier steps left
        quiet_before = await self.quiet()
        # What is alive now stays out of the collector's walks: a full collection over the
        # watcher's growing maps would delay its timestamps mid-step.
        gc.freeze()
        seconds = self.config.step_seconds
        due_count = math.floor(rate * seconds + 1e-9)
        received = self.seen(kind).first
        received_before = len(received)
        outstanding: list[tuple[float, float]] = []
        lags: list[tuple[float, float]] = []
        offsets_before = await self.topics.ends()
        cpu_before = Sample.take(self.pids)
        start = time.monotonic()

        async def count_outstanding() -> None:
            t = time.monotonic() - start
            due = min(due_count, math.floor(t * rate) + 1)
            outstanding.append((t, due - (len(received) - received_before)))

        async def measure_lag() -> None:
            lags.append((time.monotonic() - start, await self.lag[kind].lag()))

        samplers = [
            asyncio.create_task(sample_every(0.25, count_outstanding)),
            asyncio.create_task(sample_every(1.0, measure_lag)),
        ]
        try:
            sent = await self.generator.open_loop(kind, who, rate, seconds, f"bench-{self.run}-{label}")
            self.answers += [(kind, t.result) for t in sent]
            ids = {t.result.id for t in sent if t.result.id is not None}
            drain_s = await self.drained(kind, ids, self.config.drain_seconds)
        finally:
            for task in samplers:
                task.cancel()
            await asyncio.gather(*samplers, return_exceptions=True)
        quiet_after = await self.quiet()
        cpu = Sample.take(self.pids).minus(cpu_before)
        window = time.monotonic() - start
        self.snapshots[label] = (offsets_before, await self.topics.ends())
        result = self.judge(kind, rate, start, sent, ids, outstanding, lags)
        done = len(ids & received.keys())
        return {
            "kind": kind,
            "label": label,
            **result,
            "drain_s": drain_s,
            "quiet_before_s": quiet_before,
            "quiet_after_s": quiet_after,
            "window_s": window,
            # What each filing cost, over the window from the step's start until its filings
            # were received and the platform was back to idle.
            "cpu_ms_per_item": {name: 1000 * c / max(1, done) for name, c in cpu.items()},
            "cpu_ms_per_item_platform": 1000 * total(cpu, PLATFORM) / max(1, done),
            "loadgen_cpu_us_per_request": 1e6 * cpu.get("loadgen", 0.0) / max(1, len(sent)),
            "offsets_moved": moved(*self.snapshots[label]),
        }

    def judge(
        self,
        kind: Kind,
        rate: float,
        start: float,
        sent: list[Timed[Answer]],
        ids: set[str],
        outstanding: list[tuple[float, float]],
        lags: list[tuple[float, float]],
    ) -> dict[str, Any]:
        seconds = self.config.step_seconds
        received = self.seen(kind).first
        filed = (self.tracker.submitted if kind == "dossier" else self.tracker.notices_filed).first
        produced = self.seen(kind).produced
        http = [ms(t.latency) for t in sent if t.result.id is not None]
        e2e = [ms(received[t.result.id] - t.due) for t in sent if t.result.id in received]
        on_topic = [ms(filed[t.result.id] - t.due) for t in sent if t.result.id in filed]
        # The same, to the received record's own timestamp (when processing's relay sent it):
        # tells how much of the figure is our watcher being late.
        e2e_sent = [ms(produced[t.result.id] - t.due) for t in sent if t.result.id in produced]
        failed = [t.result for t in sent if t.result.id is None]
        times = [received[d] for d in ids if d in received]
        growth = growth_per_second([p for p in outstanding if p[0] <= seconds], seconds)
        summary = {
            "http_p50_ms": percentile(http, 50),
            "http_p95_ms": percentile(http, 95),
            "http_p99_ms": percentile(http, 99),
            "http_max_ms": max(http, default=math.nan),
            "e2e_p50_ms": percentile(e2e, 50),
            "e2e_p99_ms": percentile(e2e, 99),
            "e2e_p999_ms": percentile(e2e, 99.9),
            "e2e_max_ms": max(e2e, default=math.nan),
            "submitted_on_topic_p50_ms": percentile(on_topic, 50),
            "e2e_to_record_timestamp_p50_ms": percentile(e2e_sent, 50),
            "e2e_to_record_timestamp_p99_ms": percentile(e2e_sent, 99),
        }
        reasons = verdict(
            rate,
            summary["http_p99_ms"],
            summary["e2e_p99_ms"],
            growth,
            len(failed),
            len(ids - received.keys()),
            self.limits,
        )
        return {
            "offered_per_s": rate,
            "requests": len(sent),
            "acknowledged": len(ids),
            "failed": len(failed),
            "failures": sorted({f"{a.status}: {a.error}" for a in failed})[:5],
            "received": len(ids & received.keys()),
            # Received over the time from the first due to the last received: the offered rate
            # while the pipeline keeps up, its capacity once it does not.
            "received_per_s": len(ids & received.keys()) / (max(times) - start) if times else 0.0,
            "generator_late_max_ms": ms(max((t.sent - t.due for t in sent), default=0.0)),
            **summary,
            "e2e_samples": len(e2e),
            "outstanding_growth_per_s": growth,
            "outstanding_max": max((n for _, n in outstanding), default=0),
            "consumer_lag_max": max((n for _, n in lags), default=0),
            "sustained": not reasons,
            "why_not": reasons,
            "outstanding": [[round(t, 2), n] for t, n in outstanding],
            "consumer_lag": [[round(t, 2), n] for t, n in lags],
        }

    async def recover(self) -> int:
        """Requests that got no answer may or may not have filed: sending the same idempotency
        key again tells (200: it was filed; 201: filed now). Returns how many."""
        unknown = [(k, a) for k, a in self.answers if a.id is None and (a.status is None or a.status >= 500)]
        if unknown:
            again = await self.generator.again([(k, a.who, a.key) for k, a in unknown])
            self.answers += [(k, a) for (k, _), a in zip(unknown, again, strict=True)]
        return len(unknown)
