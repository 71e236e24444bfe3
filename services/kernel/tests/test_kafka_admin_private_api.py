"""The one call into aiokafka's private parts (`kafka_topics.incremental_alter_configs`) still
fits the installed aiokafka. These fail on an upgrade that changes what it relies on, and say
what to do, rather than letting `ensure_topics` break the first time a topic's config drifts."""

from __future__ import annotations

import inspect

import aiokafka
from aiokafka.admin import AIOKafkaAdminClient

from dvc_kernel.kafka_topics import _IncrementalAlterConfigsRequest, _IncrementalAlterConfigsRequestV0


def test_aiokafka_still_has_no_public_incremental_alter_configs() -> None:
    public = {name for name in dir(AIOKafkaAdminClient) if not name.startswith("_")}
    assert not {n for n in public if "incremental" in n}, (
        f"aiokafka {aiokafka.__version__} has a public IncrementalAlterConfigs: use it in "
        "kafka_topics.incremental_alter_configs and delete the request declared there"
    )
    assert "send_request" not in public, (
        f"aiokafka {aiokafka.__version__} can send a custom request publicly: use that instead of _client"
    )


async def test_the_private_client_still_sends_a_request_to_a_node() -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers="127.0.0.1:1")  # not started: no connection
    client = getattr(admin, "_client", None)
    assert client is not None, f"aiokafka {aiokafka.__version__}: AIOKafkaAdminClient._client is gone"
    assert callable(getattr(client, "get_random_node", None)), "AIOKafkaClient.get_random_node is gone"
    parameters = list(inspect.signature(client.send).parameters)
    assert parameters[:2] == ["node_id", "request"], f"AIOKafkaClient.send now takes {parameters}"


def test_the_request_is_built_with_aiokafkas_protocol_primitives() -> None:
    request = _IncrementalAlterConfigsRequest({"intake.dossier.v1": {"retention.ms": "-1"}})
    struct = request.build(_IncrementalAlterConfigsRequestV0)
    wire = struct.encode()
    # resources: 1 × (type 2 = topic, name, configs: 1 × (name, op 0 = SET, value)), validate_only false
    assert wire == (
        b"\x00\x00\x00\x01" + b"\x02" + b"\x00\x11intake.dossier.v1"
        + b"\x00\x00\x00\x01" + b"\x00\x0cretention.ms" + b"\x00" + b"\x00\x02-1"
        + b"\x00"
    )  # fmt: skip
