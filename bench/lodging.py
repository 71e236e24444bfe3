"""The lodging workload: notices from 20 establishments, first new ones, then establishments that
already filed 1,000 notices each. A hotel files hundreds a day: a notice must not cost more as
its establishment's history grows (issue 12), so both sustained rates are measured and compared.

Hosts come in groups of `lodging_hosts` accounts. Group 0 warms the lodging path up, is filled
to `lodging_history` notices each (as fast as the system takes them, not timed) and files the
history phase; each step of the new phase files from a group of its own, so every one of its
establishments is new when its step starts.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from .config import Config
from .knee import bracket_search, drive
from .steps import Load


def groups(config: Config) -> list[list[int]]:
    """Host indices by group: the history group first, then one per step of the new phase."""
    n = config.lodging_hosts
    return [list(range(g * n, (g + 1) * n)) for g in range(config.lodging_steps + 1)]


def hosts_needed(config: Config) -> int:
    return config.lodging_hosts * (config.lodging_steps + 1)


def fill_plan(filed: Counter[int], hosts: list[int], history: int) -> list[int]:
    """Who files each notice still missing so that every host has `history`: hosts in turn."""
    missing = {h: max(0, history - filed[h]) for h in hosts}
    plan: list[int] = []
    for round_ in range(max(missing.values(), default=0)):
        plan += [h for h in hosts if missing[h] > round_]
    return plan


def filed_by(load: Load) -> Counter[int]:
    """Notices filed so far, by host."""
    return Counter(a.who for k, a in load.answers if k == "lodging" and a.id is not None)


async def measure(load: Load, config: Config, start_rate: float) -> dict[str, Any]:
    history_group, *fresh = groups(config)
    await load.warm_up("lodging", history_group, 20)
    new_steps: list[dict[str, Any]] = []

    async def new_step(rate: float) -> bool:
        result = await load.step("lodging", rate, fresh[len(new_steps)], f"lodging-new-{len(new_steps) + 1}")
        new_steps.append({**result, "phase": "new"})
        load.report(result)
        return bool(result["sustained"])

    new = await drive(bracket_search(start_rate, config.lodging_factor, config.lodging_steps), new_step)

    plan = fill_plan(filed_by(load), history_group, config.lodging_history)
    fill = await load.fill("lodging", plan, "lodging-fill")
    history_now = [filed_by(load)[h] for h in history_group]  # the fill may have run out of time
    history_steps: list[dict[str, Any]] = []

    async def history_step(rate: float) -> bool:
        label = f"lodging-history-{len(history_steps) + 1}"
        result = await load.step("lodging", rate, history_group, label)
        history_steps.append({**result, "phase": "history"})
        load.report(result)
        return bool(result["sustained"])

    # From the rate the new establishments sustained: the comparison that matters.
    history = await drive(
        bracket_search(new[0] or start_rate, config.lodging_factor, config.lodging_steps), history_step
    )
    return {
        "new": {"sustained_per_s": new[0], "knee_per_s": new[1], "steps": new_steps},
        "history": {
            "notices_per_host_before": min(history_now),
            "fill": fill,
            "sustained_per_s": history[0],
            "knee_per_s": history[1],
            "steps": history_steps,
        },
    }
