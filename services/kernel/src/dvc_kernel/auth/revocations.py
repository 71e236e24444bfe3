"""Access tokens that stop working before they expire: every service follows identity's events.

Identity's access tokens live 15 minutes and are checked locally, so a removed officer, an
officer transferred to another unit, or a citizen who logged out would keep access until the
token expires. Identity publishes those facts (`StaffRemoved`, `StaffScopeChanged`,
`SessionEnded`) on `identity.account.v1`; each service follows that topic and keeps, per
account, the time before which its tokens are refused. The check on each request is one dict
lookup and one comparison (on the hot path, after the verified-token cache).

Only the last `HORIZON` matters: a token issued earlier has expired anyway. So a starting
service reads the topic from that long ago (Kafka's time index), not from the beginning, and
forgets entries older than that. A token issued in the same second as the revocation is refused
too (`iat` has whole seconds): its holder refreshes and gets a new one.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime, timedelta

from aiokafka import AIOKafkaConsumer

from dvc_contracts import Envelope
from dvc_contracts.identity import SessionEnded, StaffRemoved, StaffScopeChanged
from dvc_contracts.registry import UnknownEventType, payload_of
from dvc_contracts.topics import IDENTITY_ACCOUNT

from .. import kafka_security
from ..kafka_topics import topic_partitions
from .principal import Principal

log = logging.getLogger(__name__)

# The longest an access token lives (identity: 15 minutes) plus the verifier's leeway and margin.
HORIZON = timedelta(minutes=20)


class Revocations:
    def __init__(self, horizon: timedelta = HORIZON) -> None:
        self.horizon = horizon
        self._before: dict[str, datetime] = {}
        self.caught_up = False

    def revoke(self, subject: str, before: datetime) -> None:
        known = self._before.get(subject)
        if known is None or before > known:
            self._before[subject] = before

    def refuses(self, principal: Principal) -> bool:
        before = self._before.get(principal.subject)
        if before is None:
            return False
        return principal.issued_at is None or principal.issued_at <= before

    def forget_expired(self, now: datetime) -> None:
        oldest = now - self.horizon
        for subject in [s for s, at in self._before.items() if at < oldest]:
            del self._before[subject]

    def apply(self, envelope: Envelope) -> None:
        if envelope.event_type not in ("StaffRemoved", "StaffScopeChanged", "SessionEnded"):
            return
        try:
            payload = payload_of(envelope)
        except UnknownEventType:
            return
        if isinstance(payload, StaffRemoved):
            self.revoke(str(payload.account_id), payload.removed_at)
        elif isinstance(payload, StaffScopeChanged):
            self.revoke(str(payload.account_id), payload.changed_at)
        elif isinstance(payload, SessionEnded):
            self.revoke(str(payload.account_id), payload.ended_at)

    async def follow(self, bootstrap: str) -> None:
        """Read identity's topic from `horizon` ago, then keep following it."""
        partitions = await topic_partitions(bootstrap, [IDENTITY_ACCOUNT.name])
        consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap,
            enable_auto_commit=False,
            isolation_level="read_committed",
            # A long poll: the broker answers as soon as a record arrives (fetch_min_bytes 1), so
            # a revocation still arrives at once; an idle follower asks once in 10 s, not 5 times a
            # second (seven services following: 35 idle fetches a second on the broker).
            fetch_max_wait_ms=10_000,
            **kafka_security.client_options(),
        )
        await consumer.start()
        try:
            since = int((datetime.now(UTC) - self.horizon).timestamp() * 1000)
            found = await consumer.offsets_for_times(dict.fromkeys(partitions, since))
            ends = await consumer.end_offsets(partitions)
            # Assigned and placed with no await between: a fetch sent from another position
            # would be a long poll (10 s) that the first records would wait behind.
            consumer.assign(partitions)
            for tp in partitions:
                at = found.get(tp)
                consumer.seek(tp, at.offset if at is not None else ends[tp])
            pruned = time.monotonic()
            while True:
                batches = await consumer.getmany(timeout_ms=1000, max_records=1000)
                for records in batches.values():
                    for record in records:
                        try:
                            self.apply(Envelope.model_validate_json(record.value or b""))
                        except ValueError:
                            log.exception(
                                "unreadable identity record at %s@%s", record.partition, record.offset
                            )
                if not self.caught_up and all(
                    [await consumer.position(tp) >= end for tp, end in ends.items()]
                ):
                    self.caught_up = True
                if time.monotonic() - pruned > 60:
                    self.forget_expired(datetime.now(UTC))
                    pruned = time.monotonic()
                await asyncio.sleep(0)
        finally:
            await consumer.stop()
