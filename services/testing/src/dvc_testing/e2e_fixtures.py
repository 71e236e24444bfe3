"""A test module's `stack` and `people` fixtures, made once for the e2e suites (pytest is
imported here, not in `dvc_testing.e2e`, which `make run` and the bench import too)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from dvc_testing.e2e import Person, enrol, running_stack
from dvc_testing.stack import Stack, stack_ports


def module_stack(base: int, name: str, development: bool = True, **env: str) -> Any:
    """A module's `stack` fixture: `running_stack` on `stack_ports(base)`, in a temporary
    directory named after `name`, once for the module's tests."""

    @pytest.fixture(scope="module")
    def stack(kafka_bootstrap: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
        root = tmp_path_factory.mktemp(name)
        with running_stack(kafka_bootstrap, root, stack_ports(base), development, **env) as running:
            yield running

    return stack


def module_people(staff: Mapping[str, tuple[Person, str, list[str]]]) -> Any:
    """A module's `people` fixture: `enrol(stack, staff)`, once for the module's tests."""

    @pytest.fixture(scope="module")
    def people(stack: Stack) -> dict[str, str]:
        return enrol(stack, staff)

    return people
