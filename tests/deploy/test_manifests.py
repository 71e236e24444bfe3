"""The deployment artefacts, checked here without a cluster or a container engine.

- deploy/compose.yaml against the Compose Specification's JSON Schema (the copy check-jsonschema
  vendors from the compose-spec repository).
- Every object `kustomize build` renders from deploy/k8s (base and overlays/production) against
  the Kubernetes JSON schemas of a pinned version (kubernetes-validate's bundled schemas, strict:
  an unknown field is an error, as with kubectl's strict field validation), and Strimzi's Kafka,
  KafkaNodePool and KafkaTopic against the CRDs Strimzi's generator renders from its api jar
  (deploy/k8s/tools.py), also with unknown fields refused.
- What a schema cannot know: probes, limits, HPA and PDB per service, topics as in topics.py,
  the 3-node replication settings, placeholders instead of secrets.

kustomize and the CRDs are installed by `make deploy-tools` (a prerequisite of `make pytest`);
run alone, these tests install them on first use (about 45 s, then cached in .cache/).
"""

from __future__ import annotations

import copy
import importlib
import importlib.resources
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml

from dvc_contracts.topics import ALL_TOPICS, TopicSpec
from dvc_kernel.kafka_topics import DEFAULT_PARTITIONS
from dvc_kernel.settings import ServiceSettings

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
sys.path.insert(0, str(DEPLOY / "k8s"))
sys.path.insert(0, str(DEPLOY / "docker"))
import healthcheck  # noqa: E402
import tools  # noqa: E402

# The Kubernetes version the manifests are written for (autoscaling/v2, policy/v1, ...).
KUBERNETES_VERSION = "1.33"
SERVICES = ("identity", "catalog", "intake", "processing", "payment", "delivery", "notify")
OVERLAYS = ("base", "overlays/production")
# Services whose pods may share one store (ADR 0013), with the topic bounding useful replicas.
SCALES_OUT = {"processing": next(t for t in ALL_TOPICS if t.name == "intake.dossier.v1")}
CLUSTER_MIN_ISR = "2"  # topics.py's 1 is for the single-node development broker
Doc = dict[str, Any]


def service_settings(name: str) -> type[ServiceSettings]:
    module = importlib.import_module(f"dvc_{name}.settings")
    for value in vars(module).values():
        if (
            isinstance(value, type)
            and issubclass(value, ServiceSettings)
            and value is not ServiceSettings
            and getattr(value, "service_name", None) == name
        ):
            return value
    raise LookupError(name)


def expected_topic_configs(spec: TopicSpec) -> dict[str, str]:
    return {**spec.topic_configs(), "min.insync.replicas": CLUSTER_MIN_ISR}


def expected_partitions(spec: TopicSpec) -> int:
    return int(getattr(spec, "partitions", None) or DEFAULT_PARTITIONS)


# ------------------------------------------------------------------------------- compose


@cache
def compose() -> Doc:
    doc: Doc = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    return doc


@cache
def compose_schema() -> Doc:
    vendor = importlib.resources.files("check_jsonschema.builtin_schemas.vendor")
    schema: Doc = json.loads(vendor.joinpath("compose-spec.json").read_text())
    return schema


def compose_errors(doc: Doc) -> list[str]:
    validator = jsonschema.Draft202012Validator(
        compose_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]


def test_compose_matches_the_compose_specification() -> None:
    assert compose_schema()["title"] == "Compose Specification"
    assert compose_errors(compose()) == []


def test_compose_schema_check_catches_a_wrong_type() -> None:
    broken = copy.deepcopy(compose())
    broken["services"]["intake"]["depends_on"]["identity"]["condition"] = "service_ready"
    broken["services"]["kafka-1"]["healthcheck"]["retries"] = "twelve"
    assert len(compose_errors(broken)) >= 2


def test_compose_kafka_is_a_three_node_kraft_cluster() -> None:
    services = compose()["services"]
    brokers = [name for name in services if re.fullmatch(r"kafka-\d", name)]
    assert brokers == ["kafka-1", "kafka-2", "kafka-3"]
    for name in brokers:
        svc = services[name]
        assert re.fullmatch(r"apache/kafka:4\.1\.\d+", svc["image"])
        env = svc["environment"]
        assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"] == "1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093"
        assert env["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"] == "3"
        assert env["KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR"] == "3"
        assert env["KAFKA_TRANSACTION_STATE_LOG_MIN_ISR"] == "2"
        assert env["KAFKA_MIN_INSYNC_REPLICAS"] == "2"
        assert "healthcheck" in svc


def test_compose_runs_every_service_on_postgres_and_the_cluster() -> None:
    services = compose()["services"]
    for name in SERVICES:
        svc = services[name]
        assert svc["build"]["args"]["SERVICE"] == name
        assert svc["build"]["dockerfile"] == "deploy/docker/Dockerfile"
        env = svc["environment"]
        assert env["PERSISTENCE_MODULE"] == "eventsourcing.postgres"
        assert env["POSTGRES_DBNAME"] == env["POSTGRES_USER"] == f"dvc_{name}"
        assert env["KAFKA_BOOTSTRAP_SERVERS"] == "kafka-1:9092,kafka-2:9092,kafka-3:9092"
        # Secrets are interpolated from deploy/.env and required, never written here.
        secrets = ("POSTGRES_PASSWORD", "DVC_SERVICE_SECRET", f"{name.upper()}_CIPHER_KEY")
        for key in secrets if name != "catalog" else secrets[:2]:
            assert re.fullmatch(r"\$\{[A-Z_]+:\?[^}]*\}", env[key]), (name, key)
        assert svc["healthcheck"]["test"] == ["CMD", "python", "/app/healthcheck.py"]
        depends = svc["depends_on"]
        assert depends["kafka-topics"]["condition"] == "service_completed_successfully"
        assert depends["postgres"]["condition"] == "service_healthy"
        if name not in ("identity", "notify"):
            assert depends["identity"]["condition"] == "service_healthy"  # JWKS
        port = service_settings(name).default_port
        assert f"{port}:{port}" in svc["ports"]


def topic_job_table() -> dict[str, tuple[int, dict[str, str]]]:
    script = (DEPLOY / "docker" / "create-topics.sh").read_text()
    table = script.split("TOPICS='", 1)[1].split("'", 1)[0]
    rows: dict[str, tuple[int, dict[str, str]]] = {}
    for line in table.strip().splitlines():
        name, partitions, configs = line.split()
        rows[name] = (int(partitions), dict(pair.split("=", 1) for pair in configs.split(",")))
    return rows


def test_compose_topic_job_creates_the_topics_of_topics_py() -> None:
    rows = topic_job_table()
    assert set(rows) == {spec.name for spec in ALL_TOPICS}
    for spec in ALL_TOPICS:
        assert rows[spec.name] == (expected_partitions(spec), expected_topic_configs(spec)), spec.name
    job = compose()["services"]["kafka-topics"]
    assert job["environment"]["REPLICATION_FACTOR"] == "3"
    for broker in ("kafka-1", "kafka-2", "kafka-3"):
        assert job["depends_on"][broker]["condition"] == "service_healthy"


def test_image_healthcheck_knows_every_service_port() -> None:
    expected = {name: service_settings(name).default_port for name in SERVICES}
    assert expected == healthcheck.DEFAULT_PORTS
    dockerfile = (DEPLOY / "docker" / "Dockerfile").read_text()
    assert "HEALTHCHECK" in dockerfile and "USER 10001" in dockerfile
    assert re.search(r"^VOLUME \[\"/var/lib/dvc\"\]", dockerfile, re.M)
    assert "uv sync --frozen --no-dev" in dockerfile


# ---------------------------------------------------------------------------- kubernetes


@cache
def rendered(overlay: str) -> tuple[Doc, ...]:
    result = subprocess.run(
        [str(tools.kustomize()), "build", str(DEPLOY / "k8s" / overlay)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return tuple(doc for doc in yaml.safe_load_all(result.stdout) if doc)


def by_kind(docs: tuple[Doc, ...], kind: str) -> dict[str, Doc]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def _strict(schema: Any) -> Any:
    """Refuse unknown fields, as the API server's strict field validation does for CRDs."""
    if isinstance(schema, dict):
        schema = {k: _strict(v) for k, v in schema.items()}
        if (
            schema.get("type") == "object"
            and "properties" in schema
            and "additionalProperties" not in schema
            and not schema.get("x-kubernetes-preserve-unknown-fields")
        ):
            schema["additionalProperties"] = False
        return schema
    if isinstance(schema, list):
        return [_strict(v) for v in schema]
    return schema


@cache
def strimzi_schemas() -> dict[tuple[str, str], Doc]:
    schemas: dict[tuple[str, str], Doc] = {}
    for path in sorted(tools.strimzi_crds().glob("*.yaml")):
        crd = yaml.safe_load(path.read_text())
        group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"]
        for version in crd["spec"]["versions"]:
            if version.get("served"):
                schema = _strict(version["schema"]["openAPIV3Schema"])
                schemas[(f"{group}/{version['name']}", kind)] = schema
    return schemas


def validate(doc: Doc) -> None:
    key = (doc["apiVersion"], doc["kind"])
    if doc["apiVersion"].startswith("kafka.strimzi.io/"):
        assert key in strimzi_schemas(), f"no Strimzi {STRIMZI} CRD serves {key}"
        jsonschema.Draft7Validator(strimzi_schemas()[key]).validate(doc)
    else:
        kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


STRIMZI = tools.STRIMZI_VERSION


def all_docs() -> Iterator[tuple[str, Doc]]:
    for overlay in OVERLAYS:
        for doc in rendered(overlay):
            yield overlay, doc


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_rendered_object_matches_its_schema(overlay: str) -> None:
    failures = []
    for doc in rendered(overlay):
        try:
            validate(doc)
        except (jsonschema.ValidationError, kubernetes_validate.ValidationError) as exc:
            where = ".".join(map(str, exc.path))
            failures.append(f"{doc['kind']}/{doc['metadata']['name']}: {where}: {exc.message}")
        except kubernetes_validate.SchemaNotFoundError as exc:
            failures.append(exc.message)
    assert failures == []


def test_schema_checks_catch_real_mistakes() -> None:
    docs = rendered("overlays/production")
    mistakes: list[tuple[str, Doc]] = []

    deployment = copy.deepcopy(by_kind(docs, "Deployment")["intake"])
    deployment["spec"]["replicas"] = "1"
    mistakes.append(("replicas as a string", deployment))
    deployment = copy.deepcopy(by_kind(docs, "Deployment")["intake"])
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    container["readinesProbe"] = container.pop("readinessProbe")
    mistakes.append(("misspelt readinessProbe", deployment))
    topic = copy.deepcopy(by_kind(docs, "KafkaTopic")["intake.dossier.v1"])
    topic["spec"]["partitions"] = "3"
    mistakes.append(("partitions as a string", topic))
    topic = copy.deepcopy(by_kind(docs, "KafkaTopic")["intake.dossier.v1"])
    topic["spec"]["partitions"] = 0
    mistakes.append(("no partitions", topic))
    kafka = copy.deepcopy(by_kind(docs, "Kafka")["dvc-kafka"])
    kafka["spec"]["kafka"]["listeners"][0]["type"] = "public"
    mistakes.append(("unknown listener type", kafka))
    pool = copy.deepcopy(by_kind(docs, "KafkaNodePool")["brokers"])
    pool["spec"]["role"] = ["broker"]
    mistakes.append(("unknown field in a node pool", pool))

    for what, doc in mistakes:
        with pytest.raises((jsonschema.ValidationError, kubernetes_validate.ValidationError)):
            validate(doc)
            pytest.fail(f"{what} passed validation")


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_has_probes_limits_an_hpa_and_a_pdb(name: str) -> None:
    docs = rendered("overlays/production")
    deployment = by_kind(docs, "Deployment")[name]
    port = service_settings(name).default_port
    [container] = deployment["spec"]["template"]["spec"]["containers"]
    assert container["ports"] == [{"name": "http", "containerPort": port, "protocol": "TCP"}]
    assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    for bound in ("requests", "limits"):
        assert set(container["resources"][bound]) == {"cpu", "memory"}, bound
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert deployment["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"] is True
    mounts = {m["mountPath"] for m in container["volumeMounts"]}
    assert "/var/lib/dvc" in mounts

    env = {e["name"]: e for e in container["env"]}
    assert env["POSTGRES_DBNAME"]["value"] == f"dvc_{name}"
    assert env["POSTGRES_PASSWORD"]["valueFrom"]["secretKeyRef"]["name"].startswith(f"dvc-postgres-{name}-")
    secrets = by_kind(docs, "Secret")
    # A KafkaUser's Secret is written by Strimzi's User Operator, not by kustomize (ADR 0024).
    kafka_users = set(by_kind(docs, "KafkaUser"))
    for e in container["env"]:
        if "valueFrom" in e and e["valueFrom"]["secretKeyRef"]["name"] not in kafka_users:
            ref = e["valueFrom"]["secretKeyRef"]
            assert ref["key"] in secrets[ref["name"]]["data"], e["name"]

    service = by_kind(docs, "Service")[name]
    assert service["spec"]["ports"][0]["port"] == port
    assert service["spec"]["selector"].items() <= deployment["spec"]["template"]["metadata"]["labels"].items()

    hpa = by_kind(docs, "HorizontalPodAutoscaler")[name]
    assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": name}
    pdb = by_kind(docs, "PodDisruptionBudget")[name]
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert pdb["spec"]["selector"]["matchLabels"].items() <= pod_labels.items()

    if name in SCALES_OUT:
        # ADR 0013: the pod holding its store's leader lock relays; every pod shares one relay
        # transactional id (fencing a stale leader), and no more pods than input partitions.
        assert 2 <= deployment["spec"]["replicas"] == hpa["spec"]["minReplicas"]
        assert hpa["spec"]["maxReplicas"] <= expected_partitions(SCALES_OUT[name])
        assert "value" in env["DVC_INSTANCE_ID"], "the instance id must not differ between pods"
        assert deployment["spec"]["strategy"]["type"] == "RollingUpdate"
    else:
        # One pod: files on a ReadWriteOnce volume, or jobs not yet elected like the relay is.
        assert deployment["spec"]["replicas"] == hpa["spec"]["maxReplicas"] == 1
        assert deployment["spec"]["strategy"]["type"] == "Recreate"


def test_every_topic_of_topics_py_has_a_kafka_topic() -> None:
    for overlay in OVERLAYS:
        topics = {
            d["spec"].get("topicName", d["metadata"]["name"]): d
            for d in by_kind(rendered(overlay), "KafkaTopic").values()
        }
        assert set(topics) == {spec.name for spec in ALL_TOPICS}, overlay
        for spec in ALL_TOPICS:
            topic = topics[spec.name]
            assert topic["metadata"]["labels"]["strimzi.io/cluster"] == "dvc-kafka"
            assert topic["spec"]["partitions"] == expected_partitions(spec), spec.name
            assert topic["spec"]["replicas"] == 3, spec.name
            config = {k: str(v) for k, v in topic["spec"]["config"].items()}
            assert config == expected_topic_configs(spec), spec.name


def test_kafka_is_three_controllers_and_three_brokers_with_rf3_min_isr2() -> None:
    docs = rendered("overlays/production")
    kafka = by_kind(docs, "Kafka")["dvc-kafka"]["spec"]["kafka"]
    assert re.fullmatch(r"4\.1\.\d+", kafka["version"])
    config = {k: str(v) for k, v in kafka["config"].items()}
    assert config["offsets.topic.replication.factor"] == "3"
    assert config["transaction.state.log.replication.factor"] == "3"
    assert config["transaction.state.log.min.isr"] == "2"
    assert config["default.replication.factor"] == "3"
    assert config["min.insync.replicas"] == "2"
    pools = by_kind(docs, "KafkaNodePool")
    assert {n: (p["spec"]["replicas"], p["spec"]["roles"]) for n, p in pools.items()} == {
        "controllers": (3, ["controller"]),
        "brokers": (3, ["broker"]),
    }
    assert all(p["metadata"]["labels"]["strimzi.io/cluster"] == "dvc-kafka" for p in pools.values())


def test_network_policies_deny_by_default_and_allow_what_the_architecture_needs() -> None:
    policies = by_kind(rendered("overlays/production"), "NetworkPolicy")
    deny = policies["default-deny-ingress"]["spec"]
    assert deny["podSelector"] == {} and deny["policyTypes"] == ["Ingress"] and "ingress" not in deny
    assert "egress" not in policies["dvc-default-deny-egress"]["spec"]

    def egress_ports(policy: str) -> set[int | str]:
        return {p["port"] for rule in policies[policy]["spec"]["egress"] for p in rule["ports"]}

    assert egress_ports("dvc-allow-kafka") == {9093}
    assert egress_ports("dvc-allow-postgres") == {5432}
    assert egress_ports("dvc-egress-to-identity") == {service_settings("identity").default_port}
    assert egress_ports("identity-egress-to-notify") == {service_settings("notify").default_port}
    # Only the services with an outside provider reach outside, on HTTPS (notify: and SMTP),
    # and never another pod through those rules.
    outside = {name: p for name, p in policies.items() if name.endswith("-egress-to-providers")}
    assert set(outside) == {f"{s}-egress-to-providers" for s in ("notify", "payment", "delivery")}
    assert egress_ports("notify-egress-to-providers") == {443, 587}
    assert (
        egress_ports("payment-egress-to-providers") == egress_ports("delivery-egress-to-providers") == {443}
    )
    for policy in outside.values():
        block = policy["spec"]["egress"][0]["to"][0]["ipBlock"]
        assert block["cidr"] == "0.0.0.0/0" and "10.0.0.0/8" in block["except"]
    gateway = policies["dvc-ingress-from-portal-gateway"]["spec"]["ingress"][0]["from"][0]
    assert gateway["namespaceSelector"]["matchLabels"] == {"kubernetes.io/metadata.name": "portal-gateway"}
    # Strimzi admits our pods to the brokers through the listener's peers.
    listener = by_kind(rendered("base"), "Kafka")["dvc-kafka"]["spec"]["kafka"]["listeners"][0]
    ours = {"podSelector": {"matchLabels": {"app.kubernetes.io/part-of": "dvc"}}}
    assert listener["networkPolicyPeers"] == [ours]


PLACEHOLDER = re.compile(r"REPLACE-ME-[a-z0-9-]+")


def test_no_secret_value_is_committed_only_placeholders() -> None:
    import base64

    secrets = by_kind(rendered("overlays/production"), "Secret")
    assert {re.sub(r"-[a-z0-9]{10}$", "", n) for n in secrets} == {
        "dvc-service-secret",
        "dvc-identity-keys",
        "dvc-notify-sms-provider",
        "dvc-store-keys",
        *(f"dvc-postgres-{s}" for s in SERVICES),
    }
    for name, secret in secrets.items():
        for key, value in secret["data"].items():
            assert PLACEHOLDER.fullmatch(base64.b64decode(value).decode()), (name, key)
    example = (DEPLOY / "docker" / "compose.env.example").read_text()
    for line in example.splitlines():
        if line and not line.startswith("#"):
            assert PLACEHOLDER.fullmatch(line.split("=", 1)[1]), line
    # The identity placeholders are not base64, so identity cannot start on them by mistake.
    with pytest.raises(ValueError):
        base64.b64decode("REPLACE-ME-base64-of-32-random-bytes", validate=True)


def test_compose_puts_the_gateway_in_front_on_8100() -> None:
    gateway = compose()["services"]["gateway"]
    assert gateway["build"]["dockerfile"] == "deploy/docker/Dockerfile.gateway"
    assert "8100:8100" in gateway["ports"]
    assert "./gateway/rendered/nginx.compose.conf:/etc/nginx/nginx.conf:ro" in gateway["volumes"]
    assert (DEPLOY / "gateway" / "rendered" / "nginx.compose.conf").exists()
    for name in SERVICES:
        assert gateway["depends_on"][name]["condition"] == "service_healthy"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_kubernetes_sends_everything_through_the_gateway(overlay: str) -> None:
    docs = rendered(overlay)
    ingress = by_kind(docs, "Ingress")["dvc"]["spec"]
    [path] = ingress["rules"][0]["http"]["paths"]
    assert path["path"] == "/" and path["backend"]["service"] == {"name": "gateway", "port": {"name": "http"}}
    deployment = by_kind(docs, "Deployment")["gateway"]["spec"]
    assert deployment["replicas"] >= 2
    [conf] = [v for v in deployment["template"]["spec"]["volumes"] if v["name"] == "conf"]
    configmaps = by_kind(docs, "ConfigMap")
    text = configmaps[conf["configMap"]["name"]]["data"]["nginx.conf"]
    # The configuration is the gateway's own rendering; HSTS only in production.
    assert "limit_req_zone" in text and "location /api/intake/" in text
    assert ("Strict-Transport-Security" in text) == (overlay == "overlays/production")
    if overlay == "overlays/production":
        assert ingress["tls"][0]["hosts"] == [ingress["rules"][0]["host"]]
        config = configmaps[next(n for n in configmaps if n.startswith("dvc-config"))]["data"]
        assert config["DELIVERY_VERIFY_URL"].endswith("/portal/xac-thuc.html?ma={code}")
    policies = by_kind(docs, "NetworkPolicy")
    assert policies["dvc-ingress-from-gateway"]["spec"]["ingress"][0]["from"] == [
        {"podSelector": {"matchLabels": {"app.kubernetes.io/name": "gateway"}}}
    ]


def test_compose_and_kubernetes_run_notify_with_an_sms_provider_and_no_development_routes() -> None:
    """The development SMS sink (and its open listing of every one-time code) exists only under
    DVC_DEVELOPMENT; notify refuses to start without a provider, so both must configure one."""
    services = compose()["services"]
    for name, svc in services.items():
        assert "DVC_DEVELOPMENT" not in svc.get("environment", {}), name
    notify = services["notify"]["environment"]
    for key in ("SMS_PROVIDER_URL", "SMS_PROVIDER_API_KEY", "NOTIFY_PUBLIC_URL"):
        assert re.fullmatch(r"\$\{[A-Z_]+:\?[^}]*\}", notify[key]), key
    docs = rendered("overlays/production")
    for name, deployment in by_kind(docs, "Deployment").items():
        for container in deployment["spec"]["template"]["spec"]["containers"]:
            assert "DVC_DEVELOPMENT" not in {e["name"] for e in container.get("env", [])}, name
    assert "DVC_DEVELOPMENT" not in by_kind(docs, "ConfigMap").get("dvc-config", {}).get("data", {})
    [container] = by_kind(docs, "Deployment")["notify"]["spec"]["template"]["spec"]["containers"]
    env = {e["name"]: e for e in container["env"]}
    for key in ("SMS_PROVIDER_URL", "SMS_PROVIDER_API_KEY", "NOTIFY_PUBLIC_URL"):
        assert env[key]["valueFrom"]["secretKeyRef"]["name"].startswith("dvc-notify-sms-provider"), key


@pytest.mark.parametrize("name", [s for s in SERVICES if s != "catalog"])
def test_every_store_holding_personal_data_gets_its_key_from_a_secret(name: str) -> None:
    [container] = by_kind(rendered("overlays/production"), "Deployment")[name]["spec"]["template"]["spec"][
        "containers"
    ]
    env = {e["name"]: e for e in container["env"]}
    assert "secretKeyRef" in env[f"{name.upper()}_CIPHER_KEY"]["valueFrom"]


def test_services_sharing_sealed_personal_data_share_its_keys() -> None:
    """Publisher and consumers of a sealed field must read the same data key (ADR 0021)."""
    sharing = ("intake", "processing", "payment", "delivery", "notify")
    services = compose()["services"]
    for name in sharing:
        assert "personal-keys:/var/lib/dvc-keys" in services[name]["volumes"], name
        assert services[name]["environment"]["DVC_PERSONAL_KEYS_DIR"] == "/var/lib/dvc-keys"
    docs = rendered("overlays/production")
    claim = next(d for n, d in by_kind(docs, "PersistentVolumeClaim").items() if n == "personal-keys")
    assert claim["spec"]["accessModes"] == ["ReadWriteMany"]
    config = by_kind(docs, "ConfigMap")["dvc-config"]["data"]
    assert config["DVC_PERSONAL_KEYS_DIR"] == "/var/lib/dvc-keys"
    # SQLite's locks do not hold across hosts on NFS or CephFS: one file per key there.
    assert config["DVC_PERSONAL_KEYS_STORE"] == "files"
    for name in sharing:
        pod = by_kind(docs, "Deployment")[name]["spec"]["template"]["spec"]
        assert {"name": "personal-keys", "persistentVolumeClaim": {"claimName": "personal-keys"}} in pod[
            "volumes"
        ]
        [container] = pod["containers"]
        assert {"name": "personal-keys", "mountPath": "/var/lib/dvc-keys"} in container["volumeMounts"]
