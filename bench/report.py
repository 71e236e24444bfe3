"""The figures of each run, their median and spread over the runs, and how they are shown: a
table on the terminal, JSON and a PNG plot under bench/results/."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .stats import Spread

MIB = 1024


def sustained_step(run: dict[str, Any]) -> dict[str, Any] | None:
    """The step of the highest rate that was sustained (None when even the first was not)."""
    kept = [s for s in run["steps"] if s["sustained"]]
    return max(kept, key=lambda s: s["offered_per_s"]) if kept else None


def knee_step(run: dict[str, Any]) -> dict[str, Any] | None:
    """The step of the lowest rate that was not sustained (None when every step was)."""
    failed = [s for s in run["steps"] if not s["sustained"]]
    return min(failed, key=lambda s: s["offered_per_s"]) if failed else None


def figures(run: dict[str, Any]) -> dict[str, float]:
    """One run's figures, flat, by name (NaN where a run has none)."""
    nan = math.nan
    best = sustained_step(run)
    first = run["steps"][0] if run["steps"] else None
    knee = knee_step(run)
    found: dict[str, float] = {
        "sustained_per_s": best["offered_per_s"] if best else 0.0,
        "knee_offered_per_s": knee["offered_per_s"] if knee else nan,
        "knee_received_per_s": knee["received_per_s"] if knee else nan,
        "broker_ready_s": run["broker_ready_s"],
        "services_ready_s": run["services_ready_s"],
        "replay_events_per_s": run["replay"]["events_per_s"],
        "replay_s_per_million_events": run["replay"]["seconds_per_million_events"],
        "replay_events": run["replay"]["events"],
        "baseline_messages_per_s": run["baseline"]["messages_per_s"],
        "baseline_message_bytes": run["baseline"]["message_bytes"],
    }
    found["ratio_to_baseline"] = (
        found["sustained_per_s"] / found["baseline_messages_per_s"]
        if found["baseline_messages_per_s"]
        else nan
    )
    for prefix, step in (("", best), ("light_", first)):
        for key in ("http_p50_ms", "http_p95_ms", "http_p99_ms", "e2e_p50_ms", "e2e_p99_ms", "e2e_p999_ms"):
            found[prefix + key] = step[key] if step else nan
        found[prefix + "e2e_samples"] = step["e2e_samples"] if step else nan
    found["light_offered_per_s"] = first["offered_per_s"] if first else nan
    found["consumer_lag_max"] = best["consumer_lag_max"] if best else nan
    found["knee_consumer_lag_max"] = knee["consumer_lag_max"] if knee else nan
    if best:
        for name, value in best["cpu_ms_per_1000"].items():
            found[f"cpu_ms_per_1000.{name}"] = value
    for name, memory in run["memory_kib"].items():
        found[f"rss_mib.{name}"] = memory.get("VmRSS", 0) / MIB
        found[f"peak_rss_mib.{name}"] = memory.get("VmHWM", 0) / MIB
    for key in ("dossiers", "lost", "duplicated", "unexpected", "not_received_in_projection"):
        found[f"integrity.{key}"] = run["integrity"][key]
    return found


def summarise(runs: Sequence[dict[str, Any]]) -> dict[str, dict[str, float | int | None]]:
    per_run = [figures(run) for run in runs]
    names = sorted({name for f in per_run for name in f})
    return {name: Spread.of([f.get(name, math.nan) for f in per_run]).as_json() for name in names}


def integrity_failures(runs: Sequence[dict[str, Any]]) -> dict[int, dict[str, int]]:
    """Per run, the integrity counts that are not zero."""
    bad = ("lost", "duplicated", "unexpected", "not_received_in_projection")
    return {
        run["run"]: {k: run["integrity"][k] for k in bad if run["integrity"][k]}
        for run in runs
        if any(run["integrity"][k] for k in bad)
    }


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


def rows(results: dict[str, Any]) -> list[tuple[str, str]]:
    """(figure, median and spread) lines, in the order of issue #8."""
    s = results["summary"]
    light = _number(s["light_offered_per_s"]["median"], 0)
    out = [
        ("Sustained submissions (dossiers/s, open loop)", cell(s, "sustained_per_s", 1)),
        (
            "Knee: offered / received (dossiers/s)",
            f"{cell(s, 'knee_offered_per_s', 1)} / {cell(s, 'knee_received_per_s', 1)}",
        ),
        (
            "HTTP ack p50 / p95 / p99 at sustained rate (ms)",
            " / ".join(cell(s, f"http_{p}_ms") for p in ("p50", "p95", "p99")),
        ),
        (
            f"HTTP ack p50 / p95 / p99 at {light}/s (ms)",
            " / ".join(cell(s, f"light_http_{p}_ms") for p in ("p50", "p95", "p99")),
        ),
        (
            "Submission → Received p50 / p99 / p99.9 at sustained rate (ms)",
            " / ".join(cell(s, f"e2e_{p}_ms") for p in ("p50", "p99", "p999")),
        ),
        (
            f"Submission → Received p50 / p99 / p99.9 at {light}/s (ms)",
            " / ".join(cell(s, f"light_e2e_{p}_ms") for p in ("p50", "p99", "p999")),
        ),
        (
            "Processing's consumer lag, max: at sustained rate / at knee",
            f"{cell(s, 'consumer_lag_max')} / {cell(s, 'knee_consumer_lag_max')}",
        ),
        ("Replay (events/s)", cell(s, "replay_events_per_s")),
        ("Replay (s per million events)", cell(s, "replay_s_per_million_events", 1)),
        ("Cold start: broker ready (s)", cell(s, "broker_ready_s", 1)),
        ("Cold start: seven services ready (s)", cell(s, "services_ready_s", 1)),
    ]
    processes = sorted(name.split(".", 1)[1] for name in s if name.startswith("rss_mib."))
    for name in processes:
        out.append(
            (
                f"CPU-ms per 1,000 dossiers / RSS MiB: {name}",
                f"{cell(s, f'cpu_ms_per_1000.{name}')} / {cell(s, f'rss_mib.{name}')}",
            )
        )
    out += [
        (
            "Baseline: raw aiokafka produce+consume (msg/s)",
            f"{cell(s, 'baseline_messages_per_s')} ({cell(s, 'baseline_message_bytes')} B messages)",
        ),
        ("Ours end-to-end / baseline", cell(s, "ratio_to_baseline", 4)),
        (
            "Integrity: dossiers / lost / duplicated",
            " / ".join(cell(s, f"integrity.{k}") for k in ("dossiers", "lost", "duplicated")),
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


def plot(results: dict[str, Any], path: Path) -> None:
    """Offered against received rate, and latency against offered rate, for every run."""
    import matplotlib

    matplotlib.use("Agg")  # no display: write the file only
    import matplotlib.pyplot as plt

    figure, (rate_axis, latency_axis, backlog_axis) = plt.subplots(1, 3, figsize=(17, 4.8))
    for run in results["runs"]:
        steps = sorted(run["steps"], key=lambda s: s["offered_per_s"])
        offered = [s["offered_per_s"] for s in steps]
        label = f"run {run['run']}"
        rate_axis.plot(offered, [s["received_per_s"] for s in steps], marker="o", label=label)
        line = latency_axis.plot(
            offered, [s["e2e_p99_ms"] for s in steps], marker="o", label=f"{label} e2e p99"
        )
        colour = line[0].get_color()
        latency_axis.plot(
            offered, [s["e2e_p50_ms"] for s in steps], ls=":", color=colour, label=f"{label} e2e p50"
        )
        latency_axis.plot(
            offered, [s["http_p99_ms"] for s in steps], ls="--", color=colour, label=f"{label} ack p99"
        )
    top = max((s["offered_per_s"] for run in results["runs"] for s in run["steps"]), default=1)
    rate_axis.plot([0, top], [0, top], color="grey", lw=0.8, label="received = offered")
    rate_axis.set(xlabel="offered dossiers/s", ylabel="received dossiers/s", title="Throughput")
    latency_axis.set(xlabel="offered dossiers/s", ylabel="ms (log)", yscale="log", title="Latency")
    config = results["config"]
    latency_axis.axhline(config["e2e_p99_limit_ms"], color="grey", lw=0.8, ls="-.")
    first = results["runs"][0] if results["runs"] else {"steps": []}
    for step in sorted(first["steps"], key=lambda s: s["offered_per_s"]):
        points = step["outstanding"]
        backlog_axis.plot(
            [t for t, _ in points],
            [n for _, n in points],
            ls="-" if step["sustained"] else "--",
            label=f"{step['offered_per_s']:g}/s" + ("" if step["sustained"] else " (not sustained)"),
        )
    backlog_axis.axvline(config["step_seconds"], color="grey", lw=0.8, ls="-.")
    backlog_axis.set(
        xlabel="s since the step began (sending stops at the dashed line)",
        ylabel="dossiers due but not yet received",
        title="Outstanding dossiers, run 1",
    )
    for axis in (rate_axis, latency_axis, backlog_axis):
        axis.grid(True, alpha=0.3)
        axis.legend(fontsize=7)
    figure.suptitle(f"make bench {results['started_at']} — {machine_line(results)}", fontsize=9)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def write(results: dict[str, Any], directory: Path) -> list[Path]:
    """latest.json, latest.png and latest.md (the README table); the JSON also under its date."""
    directory.mkdir(parents=True, exist_ok=True)
    text = json.dumps(json_safe(results), indent=1, ensure_ascii=False, allow_nan=False)
    stamp = results["started_at"].replace(":", "").replace("+0000", "Z")
    paths = [directory / "latest.json", directory / f"bench-{stamp}.json"]
    for path in paths:
        path.write_text(text + "\n", encoding="utf-8")
    (directory / "latest.md").write_text(markdown(results) + "\n", encoding="utf-8")
    plot(results, directory / "latest.png")
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
