"""What a benchmark run does, from environment variables (bench/README.md lists them)."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SERVICE_NAMES = ("identity", "catalog", "intake", "processing", "payment", "delivery", "notify")
# What a dossier costs is counted over these: the platform and its broker. The simulators of the
# outside world (payment gateway, post, SMTP) and the benchmark's own processes (`bench`, the
# topic watcher; `loadgen`, the load generator) are reported beside them, not in the sum.
PLATFORM = (*SERVICE_NAMES, "kafka")


def _env(name: str, default: str) -> str:
    return os.environ.get(name) or default


def _rates(text: str) -> tuple[float, ...]:
    return tuple(float(r) for r in text.split(",") if r.strip())


@dataclass(frozen=True)
class Config:
    quick: bool
    runs: int  # repetitions; every figure is the median over them
    curve_rates: tuple[float, ...]  # the first steps (dossiers/s): the cost curve's fixed points
    rate_factor: float  # past the last of them, each step offers this many times the previous one
    max_rate: float  # never offer more than this
    refine: int  # steps after the knee, each halving the gap between the last sustained rate and it
    step_seconds: float  # how long each step sends at its fixed rate
    drain_seconds: float  # how long a step may take to have all its dossiers received
    quiet_seconds: float  # how long to wait for the stack to go back to idle before and after a step
    idle_seconds: float  # the stack's CPU with no load is measured over this long
    http_p99_limit_ms: float  # a step whose acknowledgement p99 exceeds this is past the knee
    e2e_p99_limit_ms: float  # likewise for submission -> Received
    growth_limit: float  # outstanding may grow by at most this fraction of the rate per second
    citizens: int  # residents who register and file the dossiers in turn
    lodging_hosts: int  # establishments that file the lodging notices in turn
    lodging_history: int  # notices each establishment has before the history phase is measured
    lodging_steps: int  # steps of each lodging phase's search
    lodging_factor: float  # the lodging searches step up or down by this factor
    view_lag_probes: int  # filings, one at a time, whose visibility in each view is timed
    fill_seconds: float  # the history is filed for at most this long
    baseline_messages: int
    replay_events: int  # the dossier topics are padded with copies up to this many events
    kafka_port: int  # the bench's own broker (the controller takes the next port)
    port_base: int  # services on port_base+1 .. port_base+7
    partitions: int
    work_dir: Path  # broker and event stores, new for each repetition
    results_dir: Path

    @classmethod
    def from_env(cls) -> Config:
        quick = _env("BENCH_QUICK", "0") not in ("0", "", "false", "no")
        return cls(
            quick=quick,
            runs=int(_env("BENCH_RUNS", "1" if quick else "3")),
            curve_rates=_rates(_env("BENCH_CURVE_RATES", "10,100")),
            rate_factor=float(_env("BENCH_RATE_FACTOR", "1.5")),
            max_rate=float(_env("BENCH_MAX_RATE", "1000")),
            refine=int(_env("BENCH_REFINE", "0" if quick else "1")),
            step_seconds=float(_env("BENCH_STEP_SECONDS", "6" if quick else "15")),
            drain_seconds=float(_env("BENCH_DRAIN_SECONDS", "30")),
            quiet_seconds=float(_env("BENCH_QUIET_SECONDS", "5" if quick else "15")),
            idle_seconds=float(_env("BENCH_IDLE_SECONDS", "10" if quick else "30")),
            http_p99_limit_ms=float(_env("BENCH_HTTP_P99_LIMIT_MS", "100")),
            e2e_p99_limit_ms=float(_env("BENCH_E2E_P99_LIMIT_MS", "250")),
            growth_limit=float(_env("BENCH_GROWTH_LIMIT", "0.1")),
            citizens=int(_env("BENCH_CITIZENS", "10" if quick else "40")),
            lodging_hosts=int(_env("BENCH_LODGING_HOSTS", "20")),
            lodging_history=int(_env("BENCH_LODGING_HISTORY", "25" if quick else "1000")),
            lodging_steps=int(_env("BENCH_LODGING_STEPS", "1" if quick else "3")),
            lodging_factor=float(_env("BENCH_LODGING_FACTOR", "1.2")),
            view_lag_probes=int(_env("BENCH_VIEW_LAG_PROBES", "20" if quick else "60")),
            fill_seconds=float(_env("BENCH_FILL_SECONDS", "60" if quick else "900")),
            baseline_messages=int(_env("BENCH_BASELINE_MESSAGES", "20000" if quick else "100000")),
            replay_events=int(_env("BENCH_REPLAY_EVENTS", "30000" if quick else "100000")),
            kafka_port=int(_env("BENCH_KAFKA_PORT", "28192")),
            port_base=int(_env("BENCH_PORT_BASE", "28100")),
            partitions=int(_env("BENCH_PARTITIONS", "3")),
            work_dir=Path(_env("BENCH_WORK_DIR", str(REPO / "var" / "bench"))).resolve(),
            results_dir=Path(_env("BENCH_RESULTS_DIR", str(REPO / "bench" / "results"))).resolve(),
        )

    def ports(self) -> dict[str, int]:
        return {name: self.port_base + i for i, name in enumerate(SERVICE_NAMES, start=1)}

    def as_json(self) -> dict[str, Any]:
        return {k: str(v) if isinstance(v, Path) else v for k, v in asdict(self).items()}
