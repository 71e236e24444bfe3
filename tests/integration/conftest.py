"""Fixtures of the integration tests against the real test broker."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest_asyncio
from aiokafka import ConsumerRecord

from dvc_testing.relay_runs import RelayTopic


@pytest_asyncio.fixture
async def relay_topic(
    kafka_bootstrap: str,
    fresh_topic: Callable[[int], Awaitable[str]],
    read_topic: Callable[[str], Awaitable[list[ConsumerRecord[bytes, bytes]]]],
) -> RelayTopic:
    """A fresh three-partition topic for a relay test (deleted after it)."""
    return RelayTopic(await fresh_topic(3), kafka_bootstrap, read_topic)
