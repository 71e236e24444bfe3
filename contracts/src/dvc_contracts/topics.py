"""The public Kafka topics: one per producing context and aggregate, `<service>.<aggregate>.v<major>`.

Every topic is keyed by the aggregate id so that one aggregate's events keep their order.
Dossier topics keep their events forever because auditors replay them from the beginning.
"""

from __future__ import annotations

from dataclasses import dataclass, field

FOREVER = "-1"


@dataclass(frozen=True)
class TopicSpec:
    name: str
    producer: str
    aggregate: str
    description: str
    compacted: bool = False
    keep_forever: bool = False
    configs: dict[str, str] = field(default_factory=dict)

    def topic_configs(self) -> dict[str, str]:
        """Broker-side topic configuration for this topic."""
        cfg: dict[str, str] = {"min.insync.replicas": "1"}
        if self.compacted:
            cfg["cleanup.policy"] = "compact"
        if self.keep_forever:
            cfg["retention.ms"] = FOREVER
            cfg["retention.bytes"] = FOREVER
        cfg.update(self.configs)
        return cfg


INTAKE_DOSSIER = TopicSpec(
    "intake.dossier.v1",
    "intake",
    "dossier",
    "Dossier applications as filed by citizens: Submitted, Resubmitted, Withdrawn.",
    keep_forever=True,
)
PROCESSING_DOSSIER = TopicSpec(
    "processing.dossier.v1",
    "processing",
    "dossier",
    "The case as handled by police units: Received, Accepted, RejectedWithReason, ResultIssued.",
    keep_forever=True,
)
INTAKE_LODGING = TopicSpec(
    "intake.lodging.v1",
    "intake",
    "lodging",
    "Lodging notices (thông báo lưu trú) filed by hosts and accommodation establishments.",
    keep_forever=True,
)
PROCESSING_LODGING = TopicSpec(
    "processing.lodging.v1",
    "processing",
    "lodging",
    "Lodging notices as received by commune police, judged on time or late.",
    keep_forever=True,
)
PROCESSING_COMPLAINT = TopicSpec(
    "processing.complaint.v1",
    "processing",
    "complaint",
    "Citizens' complaints (phản ánh, kiến nghị) about dossiers and their resolution.",
    keep_forever=True,
)
PROCESSING_ACCESS = TopicSpec(
    "processing.access.v1",
    "processing",
    "dossier access log",
    "Staff reads of dossiers' personal data (DossierViewed), keyed by dossier id.",
    keep_forever=True,
)
CATALOG_PROCEDURE = TopicSpec(
    "catalog.procedure.v1",
    "catalog",
    "procedure",
    "Versioned procedures; the latest version per procedure code is kept (compacted).",
    compacted=True,
)
CATALOG_UNIT = TopicSpec(
    "catalog.unit.v1",
    "catalog",
    "unit",
    "Police units and Ministry departments (compacted).",
    compacted=True,
)
IDENTITY_ACCOUNT = TopicSpec(
    "identity.account.v1",
    "identity",
    "account",
    "Account lifecycle: registration, phone verification, staff appointments.",
    keep_forever=True,
)
PAYMENT_FEE = TopicSpec(
    "payment.fee.v1",
    "payment",
    "fee",
    "Fee assessment, payment and refunds per dossier.",
    keep_forever=True,
)
DELIVERY_RESULT = TopicSpec(
    "delivery.result.v1",
    "delivery",
    "result",
    "Delivery of results: e-result, post, pickup.",
    keep_forever=True,
)
NOTIFY_MESSAGE = TopicSpec(
    "notify.message.v1",
    "notify",
    "message",
    "Messages sent to citizens and their outcome.",
)
NOTIFY_DEADLETTER = TopicSpec(
    "notify.deadletter.v1",
    "notify",
    "message",
    "Messages notify gave up on after its retries, with the reason, for operators to act on.",
    keep_forever=True,
)

# The consumer groups of the services' inboxes. Each has a dead-letter topic, `dlq.<group>.v1`,
# where its inbox puts a message it could not apply after a bounded number of attempts, so
# that message no longer holds up its partition (ADR 0020). Published by the consuming
# service's relay, keyed like the original message, kept forever for operators.
CONSUMER_GROUPS: tuple[str, ...] = (
    "intake",
    "processing",
    "processing-outcomes",
    "payment",
    "delivery-intake",
    "delivery-processing",
    "notify",
)


def dead_letter_topic(group: str) -> str:
    return f"dlq.{group}.v1"


def dead_letter_spec(group: str) -> TopicSpec:
    return TopicSpec(
        dead_letter_topic(group),
        group.split("-")[0],  # the consuming service publishes it
        "dead letter",
        f"Messages the consumer group `{group}` could not apply, set aside for operators.",
        keep_forever=True,
    )


DEAD_LETTER_TOPICS: tuple[TopicSpec, ...] = tuple(dead_letter_spec(g) for g in CONSUMER_GROUPS)

ALL_TOPICS: tuple[TopicSpec, ...] = (
    INTAKE_DOSSIER,
    INTAKE_LODGING,
    PROCESSING_DOSSIER,
    PROCESSING_LODGING,
    PROCESSING_COMPLAINT,
    PROCESSING_ACCESS,
    CATALOG_PROCEDURE,
    CATALOG_UNIT,
    IDENTITY_ACCOUNT,
    PAYMENT_FEE,
    DELIVERY_RESULT,
    NOTIFY_MESSAGE,
    NOTIFY_DEADLETTER,
    *DEAD_LETTER_TOPICS,
)


def topic(name: str) -> TopicSpec:
    for spec in ALL_TOPICS:
        if spec.name == name:
            return spec
    raise KeyError(name)
