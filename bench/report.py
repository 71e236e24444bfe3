"""How the figures are shown: a table on the terminal, the same in Markdown for the README, JSON
and a PNG plot under bench/results/."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .config import PLATFORM
from .plot import plot


def _number(value: float | int | None, digits: int) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if digits == 0:
        return f"{value:,.0f}"
    return f"{value:,.{digits}f}"


def cell(summary: dict[str, dict[str, Any]], name: str, digits: int = 0) -> str:
    """`median (min–max)`, or just the value when every run agrees or there was one run."""
    figure = summary.get(name)
    if figure is None:
        return "–"
    median = _number(figure["median"], digits)
    low, high = _number(figure["min"], digits), _number(figure["max"], digits)
    return median if figure["runs"] <= 1 or low == high else f"{median} ({low}–{high})"


def cells(summary: dict[str, dict[str, Any]], names: Sequence[str], digits: int = 0) -> str:
    return " / ".join(cell(summary, name, digits) for name in names)


VIEW_NAMES = {  # bench/view_lag.py: what each view shows once it has the filing
    "processing_tracking": "processing's tracking",
    "payment_fee": "payment's fee",
    "notify_inbox": "notify's inbox",
    "intake_status_received": "intake's status `received`",
    "token_read": "a read carrying the token (waited)",
}


def rows(results: dict[str, Any]) -> list[tuple[str, str]]:
    """(figure, median and spread) lines, in the order of issue 12."""
    s = results["summary"]
    config = results["config"]
    light = _number(s["light_offered_per_s"]["median"], 0)
    limits = f"ack p99 < {config['http_p99_limit_ms']:g} ms, e2e p99 < {config['e2e_p99_limit_ms']:g} ms"
    curve = [f"at_{rate:g}" for rate in config["curve_rates"]] + ["at_sustained"]
    curve_names = " / ".join([f"{rate:g}/s" for rate in config["curve_rates"]] + ["sustained"])
    compared = _number(s.get("lodging_compared_at_per_s", {}).get("median"), 0)
    history = _number(s.get("lodging_history_notices_per_host", {}).get("median"), 0)
    out = [
        (f"Sustained submissions (dossiers/s, open loop; {limits})", cell(s, "sustained_per_s", 1)),
        ("Knee: offered / received (dossiers/s)", cells(s, ["knee_offered_per_s", "knee_received_per_s"], 1)),
        (
            "HTTP ack p50 / p95 / p99 at sustained rate (ms)",
            cells(s, ["http_p50_ms", "http_p95_ms", "http_p99_ms"]),
        ),
        (
            f"HTTP ack p50 / p95 / p99 at {light}/s (ms)",
            cells(s, ["light_http_p50_ms", "light_http_p95_ms", "light_http_p99_ms"]),
        ),
        (
            "Submission → Received p50 / p99 / p99.9 at sustained rate (ms)",
            cells(s, ["e2e_p50_ms", "e2e_p99_ms", "e2e_p999_ms"]),
        ),
        (
            f"Submission → Received p50 / p99 / p99.9 at {light}/s (ms)",
            cells(s, ["light_e2e_p50_ms", "light_e2e_p99_ms", "light_e2e_p999_ms"]),
        ),
        ("CPU-ms per dossier, platform and broker, at sustained rate", cell(s, "cpu_ms_per_dossier", 1)),
        (
            f"Cost curve: CPU-ms per dossier at {curve_names}",
            cells(s, [f"cost_curve_ms.{c}" for c in curve], 1),
        ),
        ("Idle: platform and broker (% of one core)", cell(s, "idle_cpu_percent", 1)),
        (
            f"Lodging notices sustained (/s): new establishments / with {history} notices each / ratio",
            f"{cells(s, ['lodging_new_sustained_per_s', 'lodging_sustained_per_s'], 1)} / "
            f"{cell(s, 'lodging_history_ratio', 2)}",
        ),
        (
            f"Lodging CPU-ms per notice at {compared}/s: new / with {history} each / ratio",
            f"{cells(s, ['lodging_cpu_ms_per_notice_new', 'lodging_cpu_ms_per_notice_history'], 1)} / "
            f"{cell(s, 'lodging_cpu_history_ratio', 2)}",
        ),
        *[
            (
                f"View lag after a filing's acknowledgement, {VIEW_NAMES[view]}: p50 / p99 (ms)",
                cells(s, [f"view_lag.{view}.p50_ms", f"view_lag.{view}.p99_ms"]),
            )
            for view in VIEW_NAMES
        ],
        ("Replay, services stopped (events/s)", cell(s, "replay_events_per_s")),
        (
            "Baseline: raw aiokafka produce+consume, tuned producer (msg/s)",
            f"{cell(s, 'baseline_messages_per_s')} ({cell(s, 'baseline_message_bytes')} B mean)",
        ),
        (
            "Kafka messages / transaction markers per dossier",
            cells(s, ["messages_per_dossier", "transaction_markers_per_dossier"], 1),
        ),
        (
            "Kafka messages/s at sustained rate / baseline",
            f"{cell(s, 'pipeline_messages_per_s')} / {cell(s, 'ratio_to_baseline', 3)}",
        ),
        ("Load generator CPU per request (µs)", cell(s, "loadgen_cpu_us_per_request")),
        (
            "Processing's consumer lag, max: at sustained rate / at knee",
            cells(s, ["consumer_lag_max", "knee_consumer_lag_max"]),
        ),
        (
            "Cold start: broker ready / seven services ready (s)",
            cells(s, ["broker_ready_s", "services_ready_s"], 1),
        ),
    ]
    processes = sorted(name.split(".", 1)[1] for name in s if name.startswith("rss_mib."))
    ordered = [p for p in PLATFORM if p in processes] + [p for p in processes if p not in PLATFORM]
    for name in ordered:
        outside = "" if name in PLATFORM else " (not in the sum)"
        out.append(
            (
                f"{name}{outside}: CPU-ms per dossier (% of the sum) / idle % of a core / RSS MiB",
                f"{cell(s, f'cpu_ms_per_dossier.{name}', 2)} ({cell(s, f'cpu_share_percent.{name}')})"
                f" / {cell(s, f'idle_cpu_percent.{name}', 1)} / {cell(s, f'rss_mib.{name}')}",
            )
        )
    out += [
        (
            "Integrity: dossiers / lost / duplicated",
            cells(s, ["integrity.dossiers", "integrity.lost", "integrity.duplicated"]),
        ),
        (
            "Integrity: lodging notices / lost / duplicated",
            cells(s, ["integrity.notices", "integrity.notices_lost", "integrity.notices_duplicated"]),
        ),
    ]
    return out


def machine_line(results: dict[str, Any]) -> str:
    m = results["machine"]
    return f"{m['cpu_model']}, {m['cores']} cores, {m['memory_gib']} GiB RAM, Linux {m['kernel']}"


def _load(results: dict[str, Any], when: str) -> str:
    return " ".join(f"{v:.1f}" for v in results.get(f"load_average_{when}", []))


def table(results: dict[str, Any]) -> str:
    lines = rows(results)
    width = max(len(name) for name, _ in lines)
    runs = len(results["runs"])
    head = [
        f"Benchmark {results['started_at']} on {machine_line(results)}",
        f"median of {runs} run{'s' if runs != 1 else ''} (min–max); {results['wall_seconds']:.0f} s in all; "
        f"load average before {_load(results, 'before')}, after {_load(results, 'after')}",
        "",
    ]
    return "\n".join(head + [f"{name:<{width}}  {value}" for name, value in lines])


def markdown(results: dict[str, Any]) -> str:
    """The same table for the README, under the machine and the date it was taken on."""
    runs = len(results["runs"])
    out = [
        f"Taken {results['started_at']} on {machine_line(results)}; median of {runs} "
        f"run{'s' if runs != 1 else ''} (min–max), {results['wall_seconds']:.0f} s in all; load average "
        f"before {_load(results, 'before')}, after {_load(results, 'after')}.",
        "",
        "| figure | median (min–max) |",
        "|---|---|",
    ]
    out += [f"| {name} | {value} |" for name, value in rows(results)]
    return "\n".join(out)


def write(results: dict[str, Any], directory: Path) -> list[Path]:
    """latest.json, latest.png and latest.md (the README table); the JSON also under its date."""
    directory.mkdir(parents=True, exist_ok=True)
    text = json.dumps(json_safe(results), indent=1, ensure_ascii=False, allow_nan=False)
    stamp = results["started_at"].replace(":", "").replace("+0000", "Z")
    paths = [directory / "latest.json", directory / f"bench-{stamp}.json"]
    for path in paths:
        path.write_text(text + "\n", encoding="utf-8")
    (directory / "latest.md").write_text(markdown(results) + "\n", encoding="utf-8")
    plot(results, directory / "latest.png", f"make bench {results['started_at']} — {machine_line(results)}")
    return [*paths, directory / "latest.md", directory / "latest.png"]


def json_safe(value: Any) -> Any:
    """NaN (a percentile of nothing) as null: JSON has no NaN."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value
