"""Each service's Kafka rights, from the topic catalogue and the consumers' subscriptions (ADR 0024).

A service may write (and read back: the relay reads the tail of its partitions after a restart)
only the topics it produces, its dead-letter topics included; read the topics its consumer groups
subscribe to, identity's account topic (every service follows revocations) and the catalog's
(reference data); and use its own consumer groups. Nothing else: not another service's topics,
not topic creation, not cluster configuration. The same list becomes the Strimzi `KafkaUser`s of
`deploy/k8s` and the ACLs of the SASL_SSL integration test.

`subscriptions_from_asyncapi` reads who consumes what from the AsyncAPI document the services'
brokers generate (`docs/asyncapi.json`, kept fresh by a test), so a new subscription cannot be
forgotten here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from aiokafka.protocol.api import Request, RequestStruct, Response
from aiokafka.protocol.types import CompactArray, CompactString, Int8, Int16, Int32, Schema, TaggedFields

from dvc_contracts.topics import ALL_TOPICS, CATALOG_PROCEDURE, CATALOG_UNIT, IDENTITY_ACCOUNT

Resource = Literal["topic", "group", "cluster"]


@dataclass(frozen=True, order=True)
class Acl:
    resource: Resource
    name: str
    operations: tuple[str, ...]  # Kafka's operation names: Read, Write, Describe, IdempotentWrite

    def strimzi(self) -> dict[str, Any]:
        """As a `KafkaUser`'s `spec.authorization.acls` entry (Strimzi `v1`)."""
        resource: dict[str, Any] = {"type": self.resource}
        if self.resource != "cluster":
            resource |= {"name": self.name, "patternType": "literal"}
        return {"resource": resource, "operations": list(self.operations)}


# Every service reads these: revocations (ADR 0021) and the catalog replica (ADR 0007).
READ_BY_ALL = (IDENTITY_ACCOUNT.name, CATALOG_PROCEDURE.name, CATALOG_UNIT.name)


def subscriptions_from_asyncapi(document: Mapping[str, Any]) -> dict[str, set[str]]:
    """Consumer group -> topics, from the `receive` operations of the AsyncAPI document (their
    channels are named `<group>` or `<group>:<topic>`; the channel's address is the topic)."""
    channels = document["channels"]
    groups: dict[str, set[str]] = {}
    for operation in document["operations"].values():
        if operation["action"] != "receive":
            continue
        name = operation["channel"]["$ref"].rsplit("/", 1)[1]
        groups.setdefault(name.split(":")[0], set()).add(channels[name]["address"])
    return groups


def group_service(group: str) -> str:
    """A group is named after its service (`delivery-intake` is delivery's), as ADR 0020's
    dead-letter topics assume."""
    return group.split("-")[0]


def service_acls(service: str, subscriptions: Mapping[str, Iterable[str]]) -> list[Acl]:
    """The rights of `service`'s Kafka user, sorted."""
    own = {spec.name for spec in ALL_TOPICS if spec.producer == service}
    groups = sorted(g for g in subscriptions if group_service(g) == service)
    read = {topic for g in groups for topic in subscriptions[g]} | set(READ_BY_ALL)
    acls = [Acl("topic", name, ("Describe", "Read", "Write")) for name in own]
    acls += [Acl("topic", name, ("Describe", "Read")) for name in read - own]
    acls += [Acl("group", group, ("Describe", "Read")) for group in groups]
    acls.append(Acl("cluster", "kafka-cluster", ("IdempotentWrite",)))  # the relay's producer
    return sorted(acls)


# Kafka's codes (org.apache.kafka.common.resource / acl).
_RESOURCE = {"topic": 2, "group": 3, "cluster": 4}
_OPERATION = {"Read": 3, "Write": 4, "Describe": 8, "IdempotentWrite": 12}
_LITERAL, _ALLOW = 3, 3


class _CreateAclsResponseV2(Response):  # type: ignore[misc]
    FLEXIBLE_VERSION = True
    API_KEY = 30
    API_VERSION = 2
    SCHEMA = Schema(
        ("throttle_time_ms", Int32),
        (
            "results",
            CompactArray(
                ("error_code", Int16), ("error_message", CompactString("utf-8")), ("tags", TaggedFields)
            ),
        ),
        ("tags", TaggedFields),
    )


class _CreateAclsRequestV2(RequestStruct):  # type: ignore[misc]
    # Kafka 4 dropped versions 0 and 1, the only ones aiokafka declares.
    FLEXIBLE_VERSION = True
    API_KEY = 30
    API_VERSION = 2
    RESPONSE_TYPE = _CreateAclsResponseV2
    SCHEMA = Schema(
        (
            "creations",
            CompactArray(
                ("resource_type", Int8),
                ("resource_name", CompactString("utf-8")),
                ("resource_pattern_type", Int8),
                ("principal", CompactString("utf-8")),
                ("host", CompactString("utf-8")),
                ("operation", Int8),
                ("permission_type", Int8),
                ("tags", TaggedFields),
            ),
        ),
        ("tags", TaggedFields),
    )


class _CreateAcls(Request[_CreateAclsRequestV2]):  # type: ignore[misc]
    API_KEY = 30

    def __init__(self, principal: str, acls: Iterable[Acl]) -> None:
        self._creations: list[tuple[Any, ...]] = [
            (_RESOURCE[acl.resource], acl.name, _LITERAL, principal, "*", _OPERATION[op], _ALLOW, {})
            for acl in acls
            for op in acl.operations
        ]

    def build(self, request_struct_class: type[_CreateAclsRequestV2]) -> _CreateAclsRequestV2:
        return _CreateAclsRequestV2(self._creations, {})


class AclError(RuntimeError):
    """The broker refused to create an ACL."""


async def create_acls(admin: Any, principal: str, acls: Iterable[Acl]) -> None:
    """Allow `principal` (`User:<name>`) the `acls`, through a started `AIOKafkaAdminClient`
    (aiokafka has no ACL API; Strimzi's user operator does this in Kubernetes)."""
    client = admin._client
    response = await client.send(client.get_random_node(), _CreateAcls(principal, acls))
    failed = [f"error {code} {message or ''}".strip() for code, message, _tags in response.results if code]
    if failed:
        raise AclError("create ACLs failed: " + "; ".join(failed))
