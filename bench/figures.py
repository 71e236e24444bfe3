"""The figures of each run, flat and by name, and their median and spread over the runs (the
`summary` of latest.json): the sustained step, the cost curve, the ratios, and what fails a run."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from .config import PLATFORM
from .stats import Spread

MIB = 1024
Step = dict[str, Any]


def sustained_step(run: dict[str, Any]) -> Step | None:
    """The step of the highest rate that was sustained (None when even the first was not)."""
    kept = [s for s in run["steps"] if s["sustained"]]
    return max(kept, key=lambda s: s["offered_per_s"]) if kept else None


def knee_step(run: dict[str, Any]) -> Step | None:
    """The step of the lowest rate that was not sustained (None when every step was)."""
    failed = [s for s in run["steps"] if not s["sustained"]]
    return min(failed, key=lambda s: s["offered_per_s"]) if failed else None


def cost_curve(steps: Sequence[Step], rates: Sequence[float], sustained: Step | None) -> dict[str, Step]:
    """The steps the cost curve shows, by name: the first step at each of `rates` (sustained
    or not: what a dossier costs there is measured either way), and the sustained one."""
    curve: dict[str, Step] = {}
    for rate in rates:
        found = next((s for s in steps if math.isclose(s["offered_per_s"], rate)), None)
        if found is not None:
            curve[f"at_{rate:g}"] = found
    if sustained is not None:
        curve["at_sustained"] = sustained
    return curve


def ratio(numerator: float, denominator: float) -> float:
    """NaN unless both are figures and the denominator is not zero."""
    if not denominator or math.isnan(numerator) or math.isnan(denominator):
        return math.nan
    return numerator / denominator


def same_rate(new: Sequence[Step], history: Sequence[Step]) -> tuple[float, Step, Step] | None:
    """The highest rate both lodging phases offered, and each phase's step there: their costs
    compare without the rate in between."""
    common = {s["offered_per_s"] for s in new} & {s["offered_per_s"] for s in history}
    if not common:
        return None
    rate = max(common)
    return (
        rate,
        next(s for s in new if s["offered_per_s"] == rate),
        next(s for s in history if s["offered_per_s"] == rate),
    )


def figures(run: dict[str, Any], curve_rates: Sequence[float]) -> dict[str, float]:
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
        "idle_cpu_percent": run["idle"]["cpu_percent"],
        "replay_events_per_s": run["replay"]["events_per_s"],
        "replay_s_per_million_events": run["replay"]["seconds_per_million_events"],
        "replay_events": run["replay"]["events"],
        "baseline_messages_per_s": run["baseline"]["messages_per_s"],
        "baseline_message_bytes": run["baseline"]["message_bytes"],
        "cpu_ms_per_dossier": best["cpu_ms_per_item_platform"] if best else nan,
        "loadgen_cpu_us_per_request": best["loadgen_cpu_us_per_request"] if best else nan,
    }
    for name, percent in run["idle"]["cpu_percent_by_process"].items():
        found[f"idle_cpu_percent.{name}"] = percent
    if best:
        for name, value in best["cpu_ms_per_item"].items():
            found[f"cpu_ms_per_dossier.{name}"] = value
            if name in PLATFORM:  # its share of the platform's sum
                found[f"cpu_share_percent.{name}"] = 100 * ratio(value, best["cpu_ms_per_item_platform"])
    for name, step in cost_curve(run["steps"], curve_rates, best).items():
        found[f"cost_curve_ms.{name}"] = step["cpu_ms_per_item_platform"]
    traffic = run.get("traffic") or {}
    found["messages_per_dossier"] = traffic.get("messages_per_dossier", nan)
    found["transaction_markers_per_dossier"] = traffic.get("transaction_markers_per_dossier", nan)
    found["message_bytes_mean"] = traffic.get("message_bytes_mean", nan)
    # The Kafka messages our pipeline moves each second at its sustained rate, over the same
    # messages' raw produce-and-consume rate on the idle broker.
    found["pipeline_messages_per_s"] = found["messages_per_dossier"] * found["sustained_per_s"]
    found["ratio_to_baseline"] = ratio(found["pipeline_messages_per_s"], found["baseline_messages_per_s"])
    found.update(lodging_figures(run["lodging"]))
    for view, lag in (run.get("view_lag") or {}).items():
        if isinstance(lag, dict):
            for key in ("p50_ms", "p99_ms"):
                found[f"view_lag.{view}.{key}"] = lag.get(key, nan)
    for prefix, at in (("", best), ("light_", first)):
        for key in ("http_p50_ms", "http_p95_ms", "http_p99_ms", "e2e_p50_ms", "e2e_p99_ms", "e2e_p999_ms"):
            found[prefix + key] = at[key] if at else nan
        found[prefix + "e2e_samples"] = at["e2e_samples"] if at else nan
    found["light_offered_per_s"] = first["offered_per_s"] if first else nan
    found["consumer_lag_max"] = best["consumer_lag_max"] if best else nan
    found["knee_consumer_lag_max"] = knee["consumer_lag_max"] if knee else nan
    for name, memory in run["memory_kib"].items():
        found[f"rss_mib.{name}"] = memory.get("VmRSS", 0) / MIB
        found[f"peak_rss_mib.{name}"] = memory.get("VmHWM", 0) / MIB
    for key, value in run["integrity"].items():
        if isinstance(value, int | float):
            found[f"integrity.{key}"] = value
    return found


def lodging_figures(lodging: dict[str, Any]) -> dict[str, float]:
    new, history = lodging["new"], lodging["history"]
    found = {
        "lodging_new_sustained_per_s": new["sustained_per_s"],
        "lodging_sustained_per_s": history["sustained_per_s"],
        "lodging_history_ratio": ratio(history["sustained_per_s"], new["sustained_per_s"]),
        "lodging_history_notices_per_host": history.get("notices_per_host_before", math.nan),
    }
    compared = same_rate(new["steps"], history["steps"])
    if compared is not None:
        rate, at_new, at_history = compared
        found["lodging_compared_at_per_s"] = rate
        found["lodging_cpu_ms_per_notice_new"] = at_new["cpu_ms_per_item_platform"]
        found["lodging_cpu_ms_per_notice_history"] = at_history["cpu_ms_per_item_platform"]
        found["lodging_cpu_history_ratio"] = ratio(
            at_history["cpu_ms_per_item_platform"], at_new["cpu_ms_per_item_platform"]
        )
        found["lodging_e2e_p99_ms_new"] = at_new["e2e_p99_ms"]
        found["lodging_e2e_p99_ms_history"] = at_history["e2e_p99_ms"]
    return found


def summarise(runs: Sequence[dict[str, Any]], curve_rates: Sequence[float]) -> dict[str, dict[str, Any]]:
    per_run = [figures(run, curve_rates) for run in runs]
    names = sorted({name for f in per_run for name in f})
    return {name: Spread.of([f.get(name, math.nan) for f in per_run]).as_json() for name in names}


BAD = ("lost", "duplicated", "unexpected", "not_received_in_projection", "notices_lost", "notices_duplicated")


def integrity_failures(runs: Sequence[dict[str, Any]]) -> dict[int, dict[str, int]]:
    """Per run, the integrity counts that are not zero."""
    return {
        run["run"]: {k: run["integrity"][k] for k in BAD if run["integrity"].get(k)}
        for run in runs
        if any(run["integrity"].get(k) for k in BAD)
    }
