"""The PNG beside the table: throughput, latency and cost against the offered rate for every
run, and the outstanding dossiers over each step of the first run."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def plot(results: dict[str, Any], path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")  # no display: write the file only
    import matplotlib.pyplot as plt

    figure, (rate_axis, latency_axis, cost_axis, backlog_axis) = plt.subplots(1, 4, figsize=(22, 4.8))
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
        cost_axis.plot(offered, [s["cpu_ms_per_item_platform"] for s in steps], marker="o", label=label)
    top = max((s["offered_per_s"] for run in results["runs"] for s in run["steps"]), default=1)
    rate_axis.plot([0, top], [0, top], color="grey", lw=0.8, label="received = offered")
    rate_axis.set(xlabel="offered dossiers/s", ylabel="received dossiers/s", title="Throughput")
    latency_axis.set(xlabel="offered dossiers/s", ylabel="ms (log)", yscale="log", title="Latency")
    cost_axis.set(
        xlabel="offered dossiers/s (log)",
        ylabel="CPU-ms per dossier, platform and broker",
        xscale="log",
        title="Cost",
    )
    config = results["config"]
    latency_axis.axhline(config["e2e_p99_limit_ms"], color="grey", lw=0.8, ls="-.")
    latency_axis.axhline(config["http_p99_limit_ms"], color="grey", lw=0.8, ls="--")
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
    for axis in (rate_axis, latency_axis, cost_axis, backlog_axis):
        axis.grid(True, alpha=0.3)
        axis.legend(fontsize=7)
    figure.suptitle(title, fontsize=9)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
