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

import time
from datetime import UTC, datetime, timedelta

from dvc_contracts import Envelope
from dvc_contracts.identity import SessionEnded, StaffRemoved, StaffScopeChanged
from dvc_contracts.registry import UnknownEventType, payload_of
from dvc_contracts.topics import IDENTITY_ACCOUNT

from ..topic_follower import follow_topics, since
from .principal import Principal

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

        def horizon_ago() -> int:
            return int((datetime.now(UTC) - self.horizon).timestamp() * 1000)

        pruned = time.monotonic()

        def prune() -> None:
            nonlocal pruned
            if time.monotonic() - pruned > 60:
                self.forget_expired(datetime.now(UTC))
                pruned = time.monotonic()

        await follow_topics(
            bootstrap,
            [IDENTITY_ACCOUNT.name],
            self.apply,
            place=since(horizon_ago),
            caught_up=lambda: setattr(self, "caught_up", True),
            idle=prune,
        )
