"""What a benchmark run does, from environment variables (bench/README.md lists them)."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SERVICE_NAMES = ("identity", "catalog", "intake", "processing", "payment", "delivery", "notify")


def _env(name: str, default: str) -> str:
    return os.environ.get(name) or default


@dataclass(frozen=True)
class Config:
    quick: bool
    runs: int  # repetitions; every figure is the median over them
    start_rate: float  # dossiers/s of the first step
    rate_factor: float  # each step offers this many times the previous one
    max_rate: float  # never offer more than this
    refine: int  # steps after the knee, each halving the gap between the last sustained rate and it
    step_seconds: float  # how long each step sends at its fixed rate
    drain_seconds: float  # how long a step may take to have all its dossiers received
    http_p99_limit_ms: float  # a step whose acknowledgement p99 exceeds this is past the knee
    e2e_p99_limit_ms: float  # likewise for submission -> Received
    growth_limit: float  # outstanding dossiers may grow by at most this fraction of the rate per second
    citizens: int  # residents who register and file the dossiers in turn
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
            start_rate=float(_env("BENCH_START_RATE", "4")),
            rate_factor=float(_env("BENCH_RATE_FACTOR", "2" if quick else "1.5")),
            max_rate=float(_env("BENCH_MAX_RATE", "400")),
            refine=int(_env("BENCH_REFINE", "0" if quick else "1")),
            step_seconds=float(_env("BENCH_STEP_SECONDS", "8" if quick else "15")),
            drain_seconds=float(_env("BENCH_DRAIN_SECONDS", "30")),
            http_p99_limit_ms=float(_env("BENCH_HTTP_P99_LIMIT_MS", "1000")),
            e2e_p99_limit_ms=float(_env("BENCH_E2E_P99_LIMIT_MS", "3000")),
            growth_limit=float(_env("BENCH_GROWTH_LIMIT", "0.1")),
            citizens=int(_env("BENCH_CITIZENS", "6" if quick else "10")),
            baseline_messages=int(_env("BENCH_BASELINE_MESSAGES", "3000" if quick else "6000")),
            replay_events=int(_env("BENCH_REPLAY_EVENTS", "5000" if quick else "15000")),
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
