"""What every group of identity commands shares: collaborators, look-ups, OTP issue and check."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, JSONTranscoder, Transcoding

from dvc_kernel.application import ServiceApplication
from dvc_kernel.clock import Clock, SystemClock
from dvc_kernel.refusal import Kind

from ..adapters.keystore import KeyStore
from ..adapters.notify_client import OtpSender
from ..domain.challenges import Challenge, OtpSendLog
from ..domain.indexes import IndexKind, UniqueValue
from ..domain.otp import (
    DEFAULT_OTP_POLICY,
    OTP_REFUSALS,
    OtpOutcome,
    OtpPolicy,
    issue_challenge,
    may_send,
    verify_code,
)
from ..domain.passwords import PasswordHashing
from ..domain.refusal import Refusal
from ..domain.tokens import TokenIssuer
from ..projections.registry_replica import RegistryReplica
from .errors import refused

log = logging.getLogger(__name__)
A = TypeVar("A", bound=Aggregate)

UNKNOWN_CHALLENGE = Refusal(
    "otp.unknown_challenge", "Không tìm thấy yêu cầu xác thực OTP. Vui lòng thực hiện lại."
)
THROTTLED = Refusal("otp.throttled", "Mã OTP vừa được gửi tới số điện thoại này. Vui lòng thử lại sau.")


class DateAsISO(Transcoding):
    """Birth dates are stored as ``YYYY-MM-DD`` (the default transcoder knows only datetimes)."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


@dataclass
class Collaborators:
    """Everything identity's commands use besides their event store."""

    registry: RegistryReplica
    otp_key: bytes  # kept outside the store: without it the stored OTP hashes say nothing
    sms: OtpSender
    keys: KeyStore
    issuer: TokenIssuer
    clock: Clock = field(default_factory=SystemClock)
    hashing: PasswordHashing = field(default_factory=PasswordHashing)
    unit_exists: Callable[[str], bool] | None = None
    otp_policy: OtpPolicy = DEFAULT_OTP_POLICY
    # Shared with the services: stamps a citizen's token when they match the registry.
    service_secret: str | None = None


@dataclass(frozen=True)
class OtpSent:
    challenge_id: str
    phone: str
    expires_at: Any  # datetime, UTC


def mask_phone(phone: str) -> str:
    """``0912345678`` -> ``091****678``: enough for the citizen to recognise their phone."""
    return phone[:3] + "*" * (len(phone) - 6) + phone[-3:]


class IdentityBase(ServiceApplication):
    name = "identity"

    def __init__(self, env: dict[str, str] | None = None, *, tools: Collaborators) -> None:
        self.tools = tools
        super().__init__(env)

    @property
    def clock(self) -> Clock:
        return self.tools.clock

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def indexed(self, kind: IndexKind, value: str) -> UniqueValue | None:
        return self.find(UniqueValue, UniqueValue.id_for(kind, value))

    def claim(self, kind: IndexKind, value: str, account_id: UUID) -> UniqueValue:
        return UniqueValue(id=UniqueValue.id_for(kind, value), kind=kind.value, account_id=account_id)

    # OTP -------------------------------------------------------------------------------------

    def new_challenge(self, *, phone: str, purpose: str, subject: str) -> tuple[Challenge, OtpSendLog, str]:
        """A challenge and the phone's send log, both to be saved, and the code for the SMS.

        Refused while the phone is throttled (60 s between codes, 5 an hour).
        """
        now = self.clock.now()
        log_id = OtpSendLog.id_for(phone)
        send_log = self.find(OtpSendLog, log_id) or OtpSendLog(id=log_id)
        policy = self.tools.otp_policy
        if send_log.last_code_used:
            policy = replace(policy, resend_interval=timedelta(0))
        decision = may_send(send_log.sent_at, now=now, policy=policy)
        if decision.refusal is not None:
            raise refused(
                decision.refusal, Kind.TOO_MANY, retry_after=int(decision.retry_after.total_seconds() + 1)
            )
        state, code = issue_challenge(
            phone=phone, purpose=purpose, now=now, key=self.tools.otp_key, policy=self.tools.otp_policy
        )
        send_log.sent(at=now)
        return Challenge.of(state, subject), send_log, code

    def send_code(self, challenge: Challenge, code: str) -> OtpSent:
        """Hand the code to notify, after the challenge is stored (the code must work on arrival)."""
        state = challenge.state
        minutes = int(self.tools.otp_policy.ttl.total_seconds() // 60)
        self.tools.sms.send_otp(
            message_id=f"otp-{state.challenge_id}",
            phone=state.phone,
            code=code,
            purpose=state.purpose,
            valid_minutes=minutes,
        )
        return OtpSent(state.challenge_id, state.phone, state.expires_at)

    def save_throttled(self, *aggregates: Aggregate) -> None:
        """Save; a concurrent send to the same phone (its send log moved) counts as throttled."""
        try:
            self.save(*aggregates)
        except IntegrityError:
            raise refused(THROTTLED, Kind.TOO_MANY) from None

    def challenge(self, challenge_id: str, purpose: str) -> Challenge:
        found = self.find(Challenge, Challenge.id_for(challenge_id))
        if found is None or found.state.purpose != purpose:
            raise refused(UNKNOWN_CHALLENGE, Kind.NOT_FOUND)
        return found

    def check_code(self, challenge: Challenge, code: str) -> OtpSendLog | None:
        """Spend one try; a wrong, expired or dead code is stored (tries count) and refused.

        Returns the phone's send log marked settled when this was its latest code, to be saved
        with the rest of the caller's work.
        """
        now = self.clock.now()
        after, outcome = verify_code(
            challenge.state, code, now=now, key=self.tools.otp_key, policy=self.tools.otp_policy
        )
        challenge.record(after, now)
        if outcome is not OtpOutcome.ACCEPTED:
            self.save(challenge)
            remaining = self.tools.otp_policy.max_attempts - after.attempts
            details = {"attempts_left": remaining} if outcome is OtpOutcome.WRONG_CODE else {}
            raise refused(OTP_REFUSALS[outcome], Kind.BAD_REQUEST, **details)
        send_log = self.find(OtpSendLog, OtpSendLog.id_for(challenge.state.phone))
        if send_log is None or send_log.sent_at[-1:] != (challenge.state.issued_at,):
            return None
        send_log.settle()
        return send_log
