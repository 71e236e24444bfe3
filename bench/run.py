"""`make bench`: the figures of issue 12, measured on this machine (bench/README.md says how).

.venv/bin/python -m bench.run                  # the full run: 3 repetitions
BENCH_QUICK=1 .venv/bin/python -m bench.run    # a smoke run, 1-3 minutes
"""

from __future__ import annotations

import asyncio
import json
import logging
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import figures, lodging, report, view_lag
from .baseline import produce_and_consume
from .config import REPO, Config
from .knee import drive, knee_search
from .loadproc import LoadProcess
from .replay import pad_topics, replay
from .resources import load_average, machine, memory_kib
from .steps import Load, say
from .system import System
from .workload import Citizen

WARM_UP = 20  # dossiers filed before anything is measured, so no step pays for first connections
SETTLE_SECONDS = 5.0  # after the warm-up, before the idle stack is measured


async def repetition(config: Config, run: int) -> dict[str, Any]:
    system = System(config, config.work_dir / f"run-{run}")
    say(f"run {run}: starting Kafka on port {config.kafka_port} and the services on {config.port_base + 1}+")
    try:
        system.start()
        ready = f"broker ready in {system.broker_ready_s:.1f}s, services in {system.services_ready_s:.1f}s"
        say(f"run {run}: {ready}")
        enrolled = time.monotonic()
        accounts = config.citizens, lodging.hosts_needed(config)
        citizens, hosts = await asyncio.to_thread(system.accounts, *accounts)
        accounts_s = time.monotonic() - enrolled
        say(f"run {run}: {len(citizens)} citizens and {len(hosts)} hosts logged in in {accounts_s:.0f}s")
        assert system.stack is not None
        generator = LoadProcess()
        await generator.start(system.stack.url("intake"), citizens, hosts)
        load = Load(config, run, system, generator)
        try:
            await load.start()
            result = await measure(config, run, system, load, citizens)
            return {"accounts_s": accounts_s, **result}
        finally:
            await load.stop()
            await generator.stop()
    finally:
        system.stop()


async def measure(
    config: Config, run: int, system: System, load: Load, people: Sequence[Citizen]
) -> dict[str, Any]:
    citizens = list(range(config.citizens))
    await load.warm_up("dossier", citizens, WARM_UP)
    await asyncio.sleep(SETTLE_SECONDS)
    idle = await load.idle()
    say(f"run {run}: idle, the platform uses {idle['cpu_percent']:.1f}% of a core")
    steps: list[dict[str, Any]] = []

    async def step(rate: float) -> bool:
        result = await load.step("dossier", rate, citizens, f"dossier-{len(steps) + 1}")
        steps.append(result)
        load.report(result)
        return bool(result["sustained"])

    search = knee_search(config.curve_rates, config.rate_factor, config.max_rate, config.refine)
    sustained, knee = await drive(search, step)
    lodged = await lodging.measure(load, config, sustained or config.curve_rates[0])
    assert system.stack is not None
    urls = {name: system.stack.url(name) for name in ("intake", "processing", "payment", "notify")}
    lag, probed = await view_lag.measure(urls, people, config.view_lag_probes, f"bench-{run}-view-lag")
    load.answers += [("dossier", answer) for answer in probed]  # counted by the integrity check
    say(f"run {run}: view lag {view_lag.line(lag)}")
    memory = {name: memory_kib(pid) for name, pid in load.pids.items()}  # after the load, before replay
    recovered = await load.recover()
    for kind in ("dossier", "lodging"):
        await load.drained(kind, load.known(kind), config.drain_seconds * 4)
    best = figures.sustained_step({"steps": steps})
    traffic, sizes = await count_traffic(load, best)
    system.stop_services()  # the replay and the baseline on an idle broker, nothing consuming
    checked = await replay(system.bootstrap)  # the topics as the load left them
    padded = await pad_topics(system.bootstrap, config.replay_events)
    say(f"run {run}: replaying {checked.events + padded} events ({padded} of them copies), services stopped")
    replayed = await replay(system.bootstrap)
    say(f"run {run}: baseline, {config.baseline_messages} raw messages of our messages' sizes")
    baseline = await produce_and_consume(system.bootstrap, config.baseline_messages, sizes, config.partitions)
    return {
        "run": run,
        "broker_ready_s": system.broker_ready_s,
        "services_ready_s": system.services_ready_s,
        "idle": idle,
        "steps": steps,
        "knee_search": {"sustained_per_s": sustained, "knee_per_s": knee},
        "lodging": lodged,
        "view_lag": lag,
        "memory_kib": memory,
        "traffic": traffic,
        "replay": {**replayed.as_json(), "copies_added": padded},
        "baseline": baseline.as_json(),
        "integrity": integrity(load, checked, recovered),
    }


async def count_traffic(load: Load, step: dict[str, Any] | None) -> tuple[dict[str, Any], list[int]]:
    """The records and transaction markers on the platform's topics over the sustained step
    (from its start until the platform was idle again), per dossier received in it; and the
    sizes of those records."""
    if step is None:
        return {}, load.tracker.submitted.sizes + load.tracker.received.sizes
    found, sizes = await load.topics.traffic(*load.snapshots[step["label"]])
    per = found.per(step["received"])
    return {"step": step["label"], "dossiers": step["received"], **found.as_json(), **per}, sizes


def integrity(load: Load, checked: Any, recovered: int) -> dict[str, Any]:
    """Every dossier filed has exactly one Received on the topic and shows as received in the
    rebuilt projection; every notice filed exactly one LodgingNoticeReceived."""
    known = load.known("dossier")
    lost = sorted(d for d in known if checked.received[d] == 0)
    duplicated = sorted(d for d in known if checked.received[d] > 1)
    strangers = sorted(set(checked.received) - known)  # Received for dossiers we never filed
    not_shown = sorted(d for d in known if d not in checked.states or checked.states[d].received_at is None)
    notices = load.known("lodging")
    counts = load.tracker.notices_received.count
    return {
        "dossiers": len(known),
        "requests_without_answer_resent": recovered,
        "lost": len(lost),
        "duplicated": len(duplicated),
        "unexpected": len(strangers),
        "not_received_in_projection": len(not_shown),
        "examples": (lost + duplicated + strangers + not_shown)[:5],
        "notices": len(notices),
        "notices_lost": sum(1 for n in notices if counts[n] == 0),
        "notices_duplicated": sum(1 for n in notices if counts[n] > 1),
        # Records repeating an event already seen: a relay's second publication, counted once.
        "relay_copies_seen": sum(seen.copies for seen in load.tracker.seen.values()),
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
    results["summary"] = figures.summarise(runs, config.curve_rates)
    written = report.write(results, config.results_dir)
    print(report.table(results))
    print(f"\nresults: {', '.join(str(p) for p in written)}")
    failed = figures.integrity_failures(runs)
    if failed:
        print(f"INTEGRITY FAILED: {failed}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
