#!/bin/bash
# One-shot job of deploy/compose.yaml: create our topics on the 3-broker cluster, then exit 0.
# Idempotent (--if-not-exists), so `docker compose up` can run it every time.
#
# The table mirrors contracts/src/dvc_contracts/topics.py (names, compaction, retention) and
# dvc_kernel.kafka_topics.DEFAULT_PARTITIONS (3); tests/deploy/test_manifests.py fails when they
# differ. One difference on purpose: min.insync.replicas is 2 here (replication factor 3, so
# acks=all survives one broker down), where topics.py's 1 suits the single-node dev broker.
set -euo pipefail
BOOTSTRAP="${BOOTSTRAP:-kafka-1:9094,kafka-2:9094,kafka-3:9094}"
# As dvc-admin (mutual TLS on the BROKER listener, ADR 0024).
ADMIN_CONFIG="${ADMIN_CONFIG:-/etc/kafka/tls/admin.properties}"
REPLICATION_FACTOR="${REPLICATION_FACTOR:-3}"
TOPICS_BIN="${TOPICS_BIN:-/opt/kafka/bin/kafka-topics.sh}"

# name                     partitions  configs
TOPICS='
intake.dossier.v1          3  min.insync.replicas=2,retention.ms=-1,retention.bytes=-1
intake.lodging.v1          3  min.insync.replicas=2,retention.ms=-1,retention.bytes=-1
processing.dossier.v1      3  min.insync.replicas=2,retention.ms=-1,retention.bytes=-1
processing.lodging.v1      3  min.insync.replicas=2,retention.ms=-1,retention.bytes=-1
processing.complaint.v1    3  min.insync.replicas=2,retention.ms=-1,retention.bytes=-1
processing.access.v1       3  min.insync.replicas=2,retention.ms=-1,retention.bytes=-1
catalog.procedure.v1       3  min.insync.replicas=2,cleanup.policy=compact
catalog.unit.v1            3  min.insync.replicas=2,cleanup.policy=compact
identity.account.v1        3  min.insync.replicas=2,retention.ms=-1,retention.bytes=-1
payment.fee.v1             3  min.insync.replicas=2,retention.ms=-1,retention.bytes=-1
delivery.result.v1         3  min.insync.replicas=2,retention.ms=-1,retention.bytes=-1
notify.message.v1          3  min.insync.replicas=2
notify.deadletter.v1       3  min.insync.replicas=2,retention.ms=-1,retention.bytes=-1
dlq.intake.v1              3  min.insync.replicas=2,retention.ms=-1,retention.bytes=-1
dlq.processing.v1          3  min.insync.replicas=2,retention.ms=-1,retention.bytes=-1
dlq.processing-outcomes.v1 3  min.insync.replicas=2,retention.ms=-1,retention.bytes=-1
dlq.payment.v1             3  min.insync.replicas=2,retention.ms=-1,retention.bytes=-1
dlq.delivery-intake.v1     3  min.insync.replicas=2,retention.ms=-1,retention.bytes=-1
dlq.delivery-processing.v1 3  min.insync.replicas=2,retention.ms=-1,retention.bytes=-1
dlq.notify.v1              3  min.insync.replicas=2,retention.ms=-1,retention.bytes=-1
'

while read -r name partitions configs; do
  [ -n "${name}" ] || continue
  args=()
  IFS=',' read -r -a pairs <<<"${configs}"
  for pair in "${pairs[@]}"; do args+=(--config "${pair}"); done
  "${TOPICS_BIN}" --bootstrap-server "${BOOTSTRAP}" --command-config "${ADMIN_CONFIG}" --create --if-not-exists --topic "${name}" \
    --partitions "${partitions}" --replication-factor "${REPLICATION_FACTOR}" "${args[@]}"
done <<<"${TOPICS}"
"${TOPICS_BIN}" --bootstrap-server "${BOOTSTRAP}" --command-config "${ADMIN_CONFIG}" --describe --exclude-internal | grep -v '^\s*Topic: .*Partition:' || true
