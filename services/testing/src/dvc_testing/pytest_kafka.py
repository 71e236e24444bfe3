"""pytest plugin: ``pytest_plugins = ["dvc_testing.pytest_kafka"]``.

Provides the session fixture ``kafka_bootstrap``: the bootstrap address of a real broker (see
``kafka_broker`` for how it is chosen) with every contract topic created.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest_asyncio

from dvc_kernel.kafka_topics import ensure_topics
from dvc_testing.kafka_broker import acquire_broker


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def kafka_bootstrap() -> AsyncIterator[str]:
    # Starting a JVM blocks for seconds: keep it off the event loop.
    broker = await asyncio.to_thread(acquire_broker)
    try:
        await ensure_topics(broker.bootstrap)
        yield broker.bootstrap
    finally:
        await asyncio.to_thread(broker.stop)
