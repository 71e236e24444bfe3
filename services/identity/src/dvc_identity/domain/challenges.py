"""OTP challenges and the per-phone send log, as aggregates over the pure rules in ``otp``.

Only the HMAC of a code is stored (``otp.hash_code``); the code itself exists in memory until
it is handed to the SMS gateway. The challenge id is random (128 bits) and also the handle the
client presents with the code.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from dvc_identity.domain.ids import derived_id
from dvc_identity.domain.otp import OtpChallenge, record_send


class Challenge(Aggregate):
    @staticmethod
    def id_for(challenge_id: str) -> UUID:
        return derived_id("otp-challenge", challenge_id)

    @classmethod
    def of(cls, challenge: OtpChallenge, subject: str) -> Challenge:
        return cls(
            id=cls.id_for(challenge.challenge_id),
            challenge_id=challenge.challenge_id,
            purpose=challenge.purpose,
            phone=challenge.phone,
            subject=subject,
            code_hash=challenge.code_hash,
            issued_at=challenge.issued_at,
            expires_at=challenge.expires_at,
        )

    @event("Issued")  # the event's fields are the parameters
    def __init__(
        self,
        id: UUID,
        challenge_id: str,
        purpose: str,
        phone: str,
        subject: str,  # the registration or account the code unlocks
        code_hash: str,
        issued_at: datetime,
        expires_at: datetime,
    ) -> None:
        self.state = OtpChallenge(challenge_id, phone, purpose, code_hash, issued_at, expires_at)
        self.subject = subject

    def record(self, after: OtpChallenge, now: datetime) -> None:
        """Store what a verification did to the challenge (a wrong try, or its use)."""
        if after.attempts > self.state.attempts:
            self._rejected(attempts=after.attempts)
        if after.used and not self.state.used:
            self._accepted(accepted_at=now)

    @event("CodeRejected")
    def _rejected(self, attempts: int) -> None:
        self.state = replace(self.state, attempts=attempts)

    @event("CodeAccepted")
    def _accepted(self, accepted_at: datetime) -> None:
        self.state = replace(self.state, used=True)


class OtpSendLog(Aggregate):
    """When codes were sent to one phone, for throttling. Concurrent sends to one phone collide
    on this aggregate's version, so the limits hold across service instances."""

    @staticmethod
    def id_for(phone: str) -> UUID:
        return derived_id("otp-send-log", phone)

    @event("Opened")
    def __init__(self, id: UUID) -> None:
        self.sent_at: tuple[datetime, ...] = ()
        self.settled = False

    @property
    def last_code_used(self) -> bool:
        """The latest code sent was entered: its owner got it, so the next code need not wait
        the minute between sends (the hourly cap still applies). Registering and then logging
        in at once is the common case this serves."""
        return self.settled

    @event("Sent")
    def sent(self, at: datetime) -> None:
        self.sent_at = record_send(self.sent_at, now=at)
        self.settled = False

    @event("Settled")
    def settle(self) -> None:
        self.settled = True
