"""The lodging workload's establishments: groups, and who files what to reach a history."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from bench.config import Config
from bench.lodging import fill_plan, groups, hosts_needed


def test_one_group_for_the_history_and_one_per_step_of_the_new_phase() -> None:
    config = replace(Config.from_env(), lodging_hosts=3, lodging_steps=2)
    assert groups(config) == [[0, 1, 2], [3, 4, 5], [6, 7, 8]] and hosts_needed(config) == 9


def test_the_fill_tops_each_host_up_to_the_history_in_turn() -> None:
    plan = fill_plan(Counter({0: 2, 1: 0, 2: 5}), [0, 1, 2], history=3)
    assert plan == [0, 1, 1, 1]  # host 2 already has more
    assert Counter(plan) + Counter({0: 2, 2: 5}) >= Counter({0: 3, 1: 3, 2: 3})
