"""`make bench`: every figure of issue #8, measured on this machine (bench/README.md says how).

.venv/bin/python -m bench.run            # the full run, about 10 minutes
BENCH_QUICK=1 .venv/bin/python -m bench.run   # a smoke run, 1-2 minutes
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import report
from .baseline import produce_and_consume
from .config import REPO, Config
from .knee import Limits, growth_per_second, step_rates, verdict
from .loadgen import Answer, Submitter, Timed, arrivals, open_loop
from .replay import pad_topics, replay
from .resources import Sample, load_average, machine, memory_kib
from .stats import percentile
from .system import System
from .tracker import LagProbe, Tracker

WARM_UP = 20  # dossiers filed before the first step, so it does not pay for first connections


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
    """One repetition's load: the submitter, the watchers, and every answer so far."""

    def __init__(self, config: Config, run: int, system: System, submitter: Submitter) -> None:
        self.config = config
        self.run = run
        self.system = system
        self.submitter = submitter
        self.tracker = Tracker(system.bootstrap)
        self.lag = LagProbe(system.bootstrap)
        self.answers: list[Answer] = []
        self.sequence = -1
        self.pids = {**system.pids(), "bench": os.getpid()}
        self.limits = Limits(config.http_p99_limit_ms, config.e2e_p99_limit_ms, config.growth_limit)

    def next(self) -> int:
        """The next dossier's number: its citizen is the number modulo their count."""
        self.sequence += 1
        return self.sequence

    def known(self) -> set[str]:
        return {a.dossier_id for a in self.answers if a.dossier_id is not None}

    async def drained(self, ids: set[str], seconds: float) -> float:
        """Seconds until every one of `ids` was seen as Received, waiting at most `seconds`."""
        started = time.monotonic()
        while not ids <= self.tracker.received.first.keys():
            if time.monotonic() - started > seconds:
                break
            await asyncio.sleep(0.1)
        return time.monotonic() - started

    async def warm_up(self) -> None:
        sent = await open_loop(
            arrivals(self.config.start_rate, WARM_UP / self.config.start_rate),
            lambda i: self.submitter.submit(self.next(), f"bench-{self.run}-warm-{i}"),
        )
        self.answers += [t.result for t in sent]
        await self.drained(self.known(), self.config.drain_seconds)

    async def step(self, number: int, rate: float) -> dict[str, Any]:
        seconds = self.config.step_seconds
        offsets = arrivals(rate, seconds)
        received_before = len(self.tracker.received.first)
        outstanding: list[tuple[float, float]] = []
        lags: list[tuple[float, float]] = []
        cpu_before = Sample.take(self.pids)
        start = time.monotonic()

        async def count_outstanding() -> None:
            t = time.monotonic() - start
            due = min(len(offsets), math.floor(t * rate) + 1)
            outstanding.append((t, due - (len(self.tracker.received.first) - received_before)))

        async def measure_lag() -> None:
            lags.append((time.monotonic() - start, await self.lag.lag()))

        samplers = [
            asyncio.create_task(sample_every(0.25, count_outstanding)),
            asyncio.create_task(sample_every(1.0, measure_lag)),
        ]
        try:
            sent = await open_loop(
                offsets, lambda i: self.submitter.submit(self.next(), f"bench-{self.run}-{number}-{i}")
            )
            self.answers += [t.result for t in sent]
            ids = {t.result.dossier_id for t in sent if t.result.dossier_id is not None}
            drain_s = await self.drained(ids, self.config.drain_seconds)
        finally:
            for task in samplers:
                task.cancel()
            await asyncio.gather(*samplers, return_exceptions=True)
        cpu = Sample.take(self.pids).minus(cpu_before)
        return self.judge(number, rate, start, sent, ids, cpu, outstanding, lags, drain_s)

    def judge(
        self,
        number: int,
        rate: float,
        start: float,
        sent: list[Timed[Answer]],
        ids: set[str],
        cpu: dict[str, float],
        outstanding: list[tuple[float, float]],
        lags: list[tuple[float, float]],
        drain_s: float,
    ) -> dict[str, Any]:
        seconds = self.config.step_seconds
        received = self.tracker.received.first
        submitted = self.tracker.submitted.first
        http = [ms(t.latency) for t in sent if t.result.dossier_id is not None]
        e2e = [ms(received[t.result.dossier_id] - t.due) for t in sent if t.result.dossier_id in received]
        on_topic = [
            ms(submitted[t.result.dossier_id] - t.due) for t in sent if t.result.dossier_id in submitted
        ]
        produced = self.tracker.received.produced
        # The same, to the Received record's own timestamp (when processing's relay sent it):
        # tells how much of the figure is our consumer and this process being busy.
        e2e_sent = [
            ms(produced[t.result.dossier_id] - t.due) for t in sent if t.result.dossier_id in produced
        ]
        failed = [t.result for t in sent if t.result.dossier_id is None]
        late = max((t.sent - t.due for t in sent), default=0.0)
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
            "step": number,
            "offered_per_s": rate,
            "requests": len(sent),
            "acknowledged": len(ids),
            "failed": len(failed),
            "failures": sorted({f"{a.status}: {a.error}" for a in failed})[:5],
            "received": len(ids & received.keys()),
            # Dossiers received over the time from the first due to the last received: the
            # offered rate while the pipeline keeps up, its capacity once it does not.
            "received_per_s": len(ids & received.keys()) / (max(times) - start) if times else 0.0,
            "generator_late_max_ms": ms(late),
            **summary,
            "e2e_samples": len(e2e),
            "outstanding_growth_per_s": growth,
            "outstanding_max": max((n for _, n in outstanding), default=0),
            "consumer_lag_max": max((n for _, n in lags), default=0),
            "drain_s": drain_s,
            "cpu_ms_per_1000": {name: 1e6 * s / max(1, len(ids)) for name, s in cpu.items()},
            "sustained": not reasons,
            "why_not": reasons,
            "outstanding": [[round(t, 2), n] for t, n in outstanding],
            "consumer_lag": [[round(t, 2), n] for t, n in lags],
        }

    async def recover(self) -> int:
        """Requests that got no answer may or may not have filed their dossier: sending the same
        idempotency key again tells (200: it was filed; 201: filed now). Returns how many."""
        unknown = [a for a in self.answers if a.dossier_id is None and (a.status is None or a.status >= 500)]
        for answer in unknown:
            again = await self.submitter.submit(answer.citizen, answer.key)
            self.answers.append(again)
        return len(unknown)


async def repetition(config: Config, run: int) -> dict[str, Any]:
    system = System(config, config.work_dir / f"run-{run}")
    say(f"run {run}: starting Kafka on port {config.kafka_port} and the services on {config.port_base + 1}+")
    try:
        system.start()
        ready = f"broker ready in {system.broker_ready_s:.1f}s, services in {system.services_ready_s:.1f}s"
        say(f"run {run}: {ready}")
        enrolled = time.monotonic()
        citizens = await asyncio.to_thread(system.citizens, config.citizens)
        took = time.monotonic() - enrolled
        say(f"run {run}: {len(citizens)} citizens registered and logged in in {took:.0f}s")
        assert system.stack is not None
        submitter = Submitter(system.stack.url("intake"), citizens)
        load = Load(config, run, system, submitter)
        await load.tracker.start()
        await load.lag.start()
        try:
            return await measure(config, run, system, load)
        finally:
            await submitter.close()
            await load.lag.stop()
            await load.tracker.stop()
    finally:
        system.stop()


async def measure(config: Config, run: int, system: System, load: Load) -> dict[str, Any]:
    await load.warm_up()
    steps: list[dict[str, Any]] = []

    async def step(rate: float) -> bool:
        await load.drained(load.known(), config.drain_seconds)  # what an earlier step left behind
        result = await load.step(len(steps) + 1, rate)
        steps.append(result)
        say(
            f"run {run} step {result['step']}: {rate:g}/s  ack p99 {result['http_p99_ms']:.0f} ms  "
            f"e2e p50 {result['e2e_p50_ms']:.0f} p99 {result['e2e_p99_ms']:.0f} ms  "
            f"received {result['received_per_s']:.1f}/s  lag<={result['consumer_lag_max']}  "
            + ("sustained" if result["sustained"] else "NOT sustained: " + "; ".join(result["why_not"]))
        )
        return bool(result["sustained"])

    sustained, knee = 0.0, 0.0
    for rate in step_rates(config.start_rate, config.rate_factor, config.max_rate):
        if not await step(rate):
            knee = rate
            break
        sustained = rate
    for rate in (config.start_rate / 2, config.start_rate / 4):  # a machine too busy for the first rate
        if sustained:
            break
        if await step(rate):
            sustained = rate
        else:
            knee = rate
    for _ in range(config.refine):  # halve the gap (geometrically) between the last pass and the knee
        if not (sustained and knee):
            break
        middle = round(math.sqrt(sustained * knee), 2)
        if await step(middle):
            sustained = middle
        else:
            knee = middle
    memory = {name: memory_kib(pid) for name, pid in load.pids.items()}  # after the load, before replay
    recovered = await load.recover()
    known = load.known()
    await load.drained(known, config.drain_seconds * 4)
    checked = await replay(system.bootstrap)  # the topics as the load left them
    lost = sorted(d for d in known if checked.received[d] == 0)
    duplicated = sorted(d for d in known if checked.received[d] > 1)
    strangers = sorted(set(checked.received) - known)  # Received for dossiers we never filed
    not_shown = sorted(d for d in known if d not in checked.states or checked.states[d].received_at is None)
    padded = await pad_topics(system.bootstrap, config.replay_events)
    say(f"run {run}: replaying {checked.events + padded} events ({padded} of them copies)")
    replayed = await replay(system.bootstrap)
    sizes = load.tracker.submitted.sizes + load.tracker.received.sizes
    size = round(sum(sizes) / len(sizes)) if sizes else 1024
    say(f"run {run}: baseline, {config.baseline_messages} raw messages of {size} bytes")
    baseline = await produce_and_consume(system.bootstrap, config.baseline_messages, size, config.partitions)
    return {
        "run": run,
        "broker_ready_s": system.broker_ready_s,
        "services_ready_s": system.services_ready_s,
        "steps": steps,
        "memory_kib": memory,
        "replay": {**replayed.as_json(), "copies_added": padded},
        "baseline": baseline.as_json(),
        "integrity": {
            "dossiers": len(known),
            "requests_without_answer_resent": recovered,
            "lost": len(lost),
            "duplicated": len(duplicated),
            "unexpected": len(strangers),
            "not_received_in_projection": len(not_shown),
            "examples": (lost + duplicated + strangers + not_shown)[:5],
        },
    }


def one_run(config: Config, run: int) -> Path:
    """A repetition in a process of its own, so none inherits another's memory, connections or
    event loop; its figures come back as JSON."""
    out = config.work_dir / f"result-{run}.json"
    subprocess.run([sys.executable, "-m", "bench.run", "--run", str(run), str(out)], cwd=REPO, check=True)
    return out


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(name)s: %(message)s")
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)  # reconnect chatter while brokers stop
    config = Config.from_env()
    if argv[:1] == ["--run"]:
        result = asyncio.run(repetition(config, int(argv[1])))
        Path(argv[2]).write_text(json.dumps(result), encoding="utf-8")
        return 0
    System.leftovers(config)
    shutil.rmtree(config.work_dir, ignore_errors=True)
    config.work_dir.mkdir(parents=True)
    started = datetime.now(UTC)
    clock = time.monotonic()
    load_before = load_average()
    runs = [json.loads(one_run(config, run).read_text()) for run in range(1, config.runs + 1)]
    results = {
        "started_at": started.isoformat(timespec="seconds"),
        "wall_seconds": round(time.monotonic() - clock, 1),
        # Other work on the machine competes for its cores: the load averages say how much.
        "load_average_before": load_before,
        "load_average_after": load_average(),
        "machine": machine(),
        "config": config.as_json(),
        "runs": runs,
    }
    results["summary"] = report.summarise(runs)
    written = report.write(results, config.results_dir)
    print(report.table(results))
    print(f"\nresults: {', '.join(str(p) for p in written)}")
    failed = report.integrity_failures(runs)
    if failed:
        print(f"INTEGRITY FAILED: {failed}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
