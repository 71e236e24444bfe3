"""A registration in progress: declared data that matched the registry, waiting for the OTP.

The account itself is only created when the OTP sent to the registry's phone is entered, so a
stranger who knows someone's ID number, name and birth date (none of them secret) cannot hold
the ID number hostage nor choose its password: several registrations may be pending for one
ID number, and the first one verified by the phone's owner wins (the ID-number index decides).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from dvc_identity.domain.refusal import Refusal
from dvc_kernel.event_meta import EventMeta

REGISTRATION_TTL = timedelta(hours=24)  # after that, start again (the declared data may be stale)

REGISTRATION_EXPIRED = Refusal(
    "registration.expired", "Yêu cầu đăng ký đã quá hạn. Vui lòng đăng ký lại từ đầu."
)
REGISTRATION_DONE = Refusal(
    "registration.completed", "Tài khoản đã được kích hoạt. Vui lòng đăng nhập để sử dụng."
)


class Registration(Aggregate):
    class OtpIssued(Aggregate.Event):
        challenge_id: str

    class Completed(Aggregate.Event):
        account_id: UUID
        completed_at: datetime

    @event("Started")  # the event's fields are the parameters
    def __init__(
        self,
        id: UUID,
        id_number: str,
        full_name: str,
        date_of_birth: date,
        phone: str,
        password_hash: str,
        started_at: datetime,
        meta: EventMeta,
    ) -> None:
        self.id_number = id_number
        self.full_name = full_name
        self.date_of_birth = date_of_birth
        self.phone = phone
        self.password_hash = password_hash
        self.started_at = started_at
        self.challenge_id: str | None = None
        self.account_id: UUID | None = None

    def refusal(self, now: datetime) -> Refusal | None:
        """Why the registration cannot go on (completed or stale), else None."""
        if self.account_id is not None:
            return REGISTRATION_DONE
        if now >= self.started_at + REGISTRATION_TTL:
            return REGISTRATION_EXPIRED
        return None

    @event(OtpIssued)
    def otp_issued(self, challenge_id: str) -> None:
        self.challenge_id = challenge_id  # an earlier code stops counting

    @event(Completed)
    def completed(self, account_id: UUID, completed_at: datetime) -> None:
        self.account_id = account_id
