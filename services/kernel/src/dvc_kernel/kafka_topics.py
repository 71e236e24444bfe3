"""Make the broker's topics match `dvc_contracts.topics.ALL_TOPICS`, idempotently.

Used by `deploy/kafka/kafkactl.py topics`, by the test fixtures and by services at startup.
Missing topics are created; existing ones get more partitions when asked (never fewer: shrinking
would re-key aggregates onto other partitions and break per-aggregate ordering) and get the
spec's configs set with IncrementalAlterConfigs, so overrides an operator added for keys the spec
does not mention survive. The replication factor of an existing topic is not changed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from aiokafka import AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewPartitions, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.protocol.api import Request, RequestStruct, Response
from aiokafka.protocol.types import Array, Boolean, Int8, Int16, Int32, Schema, String
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from dvc_contracts.topics import ALL_TOPICS, TopicSpec

from . import kafka_security

log = logging.getLogger(__name__)

DEFAULT_PARTITIONS = 3
_TOPIC_ALREADY_EXISTS = 36
_OP_SET = 0  # AlterConfigOp.OpType.SET


# aiokafka 0.14 only speaks the legacy AlterConfigs, which replaces *all* dynamic configs of a
# topic and is deprecated since Kafka 2.3 (KIP-339). IncrementalAlterConfigs (API key 44) v0 is
# small enough to declare here with aiokafka's own protocol primitives.
class _IncrementalAlterConfigsResponseV0(Response):  # type: ignore[misc]
    API_KEY = 44
    API_VERSION = 0
    SCHEMA = Schema(
        ("throttle_time_ms", Int32),
        (
            "responses",
            Array(
                ("error_code", Int16),
                ("error_message", String("utf-8")),
                ("resource_type", Int8),
                ("resource_name", String("utf-8")),
            ),
        ),
    )


class _IncrementalAlterConfigsRequestV0(RequestStruct):  # type: ignore[misc]
    API_KEY = 44
    API_VERSION = 0
    RESPONSE_TYPE = _IncrementalAlterConfigsResponseV0
    SCHEMA = Schema(
        (
            "resources",
            Array(
                ("resource_type", Int8),
                ("resource_name", String("utf-8")),
                (
                    "configs",
                    Array(
                        ("name", String("utf-8")),
                        ("config_operation", Int8),
                        ("value", String("utf-8")),
                    ),
                ),
            ),
        ),
        ("validate_only", Boolean),
    )


class _IncrementalAlterConfigsRequest(Request[_IncrementalAlterConfigsRequestV0]):  # type: ignore[misc]
    API_KEY = 44

    def __init__(self, topics: Mapping[str, Mapping[str, str]]) -> None:
        self._resources = [
            (
                int(ConfigResourceType.TOPIC),
                name,
                [(key, _OP_SET, value) for key, value in configs.items()],
            )
            for name, configs in topics.items()
        ]

    def build(
        self, request_struct_class: type[_IncrementalAlterConfigsRequestV0]
    ) -> _IncrementalAlterConfigsRequestV0:
        return request_struct_class(self._resources, False)


class TopicSettings(BaseSettings):
    """How many partitions and replicas the topics get when created."""

    model_config = SettingsConfigDict(extra="ignore")

    partitions: int = Field(DEFAULT_PARTITIONS, ge=1, validation_alias="KAFKA_TOPIC_PARTITIONS")
    replication: int = Field(1, ge=1, validation_alias="KAFKA_REPLICATION_FACTOR")


class TopicSetupError(RuntimeError):
    """The broker refused to create or change a topic."""


def _raise_on_errors(action: str, errors: Iterable[tuple[str, int, str | None]]) -> None:
    failed = [f"{name}: error {code} {msg or ''}".strip() for name, code, msg in errors if code]
    if failed:
        raise TopicSetupError(f"{action} failed: " + "; ".join(failed))


async def _partition_counts(admin: Any, names: list[str]) -> dict[str, int]:
    if not names:
        return {}
    described = await admin.describe_topics(names)
    return {t["topic"]: len(t["partitions"]) for t in described if t["error_code"] == 0}


async def _config_drift(admin: Any, specs: list[TopicSpec]) -> dict[str, dict[str, str]]:
    """Per topic, the spec configs whose current value differs from the spec."""
    wanted = {spec.name: spec.topic_configs() for spec in specs}
    resources = [ConfigResource(ConfigResourceType.TOPIC, name, dict(cfg)) for name, cfg in wanted.items()]
    drift: dict[str, dict[str, str]] = {}
    for response in await admin.describe_configs(resources):
        for code, msg, _type, name, entries in response.resources:
            _raise_on_errors("describe configs", [(name, code, msg)])
            current = {entry[0]: entry[1] for entry in entries}
            changed = {k: v for k, v in wanted[name].items() if current.get(k) != v}
            if changed:
                drift[name] = changed
    return drift


async def incremental_alter_configs(
    admin: AIOKafkaAdminClient, drift: Mapping[str, Mapping[str, str]]
) -> None:
    """Set these configs of these topics, leaving their other overrides alone.

    The one place that reaches into aiokafka's private parts: its admin client has no public way
    to send a request of our own, nor IncrementalAlterConfigs itself. `tests` in the kernel
    (test_kafka_admin_private_api.py) fail on an aiokafka that changes either, saying which."""
    client = admin._client
    # Topic configs can go to any broker; KRaft forwards them to the controller.
    response = await client.send(client.get_random_node(), _IncrementalAlterConfigsRequest(drift))
    _raise_on_errors("alter configs", [(r[3], r[0], r[1]) for r in response.responses])


async def ensure_topics(
    bootstrap: str,
    partitions: int | None = None,
    replication: int | None = None,
    specs: Iterable[TopicSpec] = ALL_TOPICS,
    *,
    update_existing: bool = True,
) -> None:
    """Create or update every topic in `specs` on the cluster at `bootstrap`
    (`update_existing=False`: only create the missing ones, as a service does at start).

    `partitions` defaults to env KAFKA_TOPIC_PARTITIONS (3), `replication` to env
    KAFKA_REPLICATION_FACTOR (1).
    """
    configured = TopicSettings()
    partitions = configured.partitions if partitions is None else partitions
    replication = configured.replication if replication is None else replication
    specs = list(specs)
    admin = AIOKafkaAdminClient(
        bootstrap_servers=bootstrap, request_timeout_ms=30_000, **kafka_security.client_options()
    )
    await admin.start()
    try:
        present = set(await admin.list_topics())
        missing = [s for s in specs if s.name not in present]
        existing = [s for s in specs if s.name in present]
        if missing:
            new = [
                NewTopic(s.name, partitions, replication, topic_configs=s.topic_configs()) for s in missing
            ]
            response = await admin.create_topics(new)
            # A concurrent ensure_topics may have won the race: that is success too.
            errors = [(e[0], e[1], e[2]) for e in response.topic_errors]
            _raise_on_errors("create topics", [e for e in errors if e[1] != _TOPIC_ALREADY_EXISTS])
            log.info("created topics %s", ", ".join(s.name for s in missing))
        if not update_existing:
            return

        counts = await _partition_counts(admin, [s.name for s in existing])
        grow = {name: NewPartitions(partitions) for name, n in counts.items() if n < partitions}
        if grow:
            response = await admin.create_partitions(grow)
            _raise_on_errors("add partitions", response.topic_errors)
            log.info("grew %s to %d partitions", ", ".join(grow), partitions)

        drift = await _config_drift(admin, existing) if existing else {}
        if drift:
            await incremental_alter_configs(admin, drift)
            log.info("updated configs %s", drift)
    finally:
        await admin.close()


async def topic_partitions(bootstrap: str, topics: Iterable[str]) -> list[TopicPartition]:
    """Every partition of the existing `topics` (the others are left out).

    Asked through a producer's metadata request: a consumer's cached cluster view may not know
    a topic created after it started.
    """
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, **kafka_security.client_options())
    await producer.start()
    try:
        existing = set((await producer.client.fetch_all_metadata()).topics())
        return [
            TopicPartition(topic, p)
            for topic in topics
            if topic in existing
            for p in sorted(await producer.partitions_for(topic))
        ]
    finally:
        await producer.stop()
