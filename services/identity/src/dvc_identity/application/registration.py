"""Registration of a citizen: declared data checked against the registry, then the phone by OTP."""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from datetime import date
from uuid import UUID, uuid4

from eventsourcing.persistence import IntegrityError

from dvc_kernel.meta import CommandMeta
from dvc_kernel.refusal import Kind

from ..domain.accounts import CitizenAccount
from ..domain.id_number import check_id_number, parse_id_number
from ..domain.indexes import IndexKind
from ..domain.phone import is_mobile_number, normalise_phone
from ..domain.refusal import Refusal
from ..domain.registration_guard import TOO_MANY, RegistrationGuard
from ..domain.registrations import REGISTRATION_DONE, Registration
from ..domain.registry import DeclaredIdentity, RegistryMatch
from .base import IdentityBase, OtpSent
from .errors import refuse_weak_password, refused

log = logging.getLogger(__name__)

PURPOSE = "register"
NOT_MOBILE = Refusal(
    "phone.not_mobile", "Số điện thoại phải là số di động Việt Nam gồm 10 chữ số (ví dụ 0912345678)."
)
ALREADY_REGISTERED = Refusal(
    "registration.already_registered",
    "Số định danh cá nhân này đã có tài khoản. Vui lòng đăng nhập, hoặc liên hệ bộ phận hỗ trợ "
    "nếu bạn không tự đăng ký.",
)
PHONE_IN_USE = Refusal(
    "registration.phone_in_use",
    "Số điện thoại này đã được dùng cho một tài khoản khác. Vui lòng liên hệ bộ phận hỗ trợ.",
)
UNKNOWN_REGISTRATION = Refusal("registration.not_found", "Không tìm thấy yêu cầu đăng ký.")


@dataclass(frozen=True)
class RegistrationRequest:
    id_number: str
    full_name: str
    date_of_birth: date
    phone: str
    password: str


@dataclass(frozen=True)
class RegistrationStarted:
    registration_id: UUID
    otp: OtpSent


def checked_id_number(raw: str, date_of_birth: date) -> str:
    """The number's layout, and its century/year digits against the declared birth date."""
    number = parse_id_number(raw)
    return check_id_number(number.value, date_of_birth=date_of_birth, sex=number.sex).value


class RegistrationCommands(IdentityBase):
    def match_registry(self, declared: DeclaredIdentity) -> RegistryMatch:
        match = self.tools.registry.match(declared)
        if not match.matched:
            # Field names only: which data differed is for our logs, never for the caller.
            log.info("registry mismatch on %s", ",".join(sorted(match.mismatched)))
        return match

    def start_registration(self, request: RegistrationRequest, meta: CommandMeta) -> RegistrationStarted:
        id_number = checked_id_number(request.id_number, request.date_of_birth)
        phone = normalise_phone(request.phone)
        if not is_mobile_number(phone):
            raise refused(NOT_MOBILE)
        declared = DeclaredIdentity(id_number, request.full_name, request.date_of_birth, phone)
        now = self.clock.now()
        guard_id = RegistrationGuard.id_for(id_number)
        guard = self.find(RegistrationGuard, guard_id)
        if guard is not None and guard.locked(now):
            raise refused(TOO_MANY, Kind.TOO_MANY)  # right data or wrong: the same answer
        match = self.match_registry(declared)
        if match.resident is None:
            assert match.refusal is not None
            guard = guard or RegistrationGuard(id=guard_id)
            guard.mismatched(now)
            with contextlib.suppress(IntegrityError):  # a guess at the same instant: counted once
                self.save(guard)
            raise refused(TOO_MANY, Kind.TOO_MANY) if guard.locked(now) else refused(match.refusal)
        if self.indexed(IndexKind.CITIZEN_ID_NUMBER, id_number) is not None:
            raise refused(ALREADY_REGISTERED, Kind.CONFLICT)
        if self.indexed(IndexKind.CITIZEN_PHONE, phone) is not None:
            raise refused(PHONE_IN_USE, Kind.CONFLICT)
        refuse_weak_password(request.password, id_number=id_number, phone=phone)
        registration = Registration(
            id=uuid4(),
            id_number=id_number,
            full_name=match.resident.full_name,  # the registry's spelling, not the typed one
            date_of_birth=match.resident.date_of_birth,
            phone=phone,
            password_hash=self.tools.hashing.hash(request.password),
            started_at=self.clock.now(),
            meta=meta.as_dict(),
        )
        challenge, send_log, code = self.new_challenge(
            phone=phone, purpose=PURPOSE, subject=str(registration.id)
        )
        registration.otp_issued(challenge_id=challenge.state.challenge_id)
        self.save_throttled(registration, challenge, send_log)
        return RegistrationStarted(registration.id, self.send_code(challenge, code))

    def _registration(self, registration_id: UUID) -> Registration:
        registration = self.find(Registration, registration_id)
        if registration is None:
            raise refused(UNKNOWN_REGISTRATION, Kind.NOT_FOUND)
        refusal = registration.refusal(self.clock.now())
        if refusal is not None:
            raise refused(refusal, Kind.CONFLICT if refusal is REGISTRATION_DONE else Kind.BAD_REQUEST)
        if self.indexed(IndexKind.CITIZEN_ID_NUMBER, registration.id_number) is not None:
            raise refused(ALREADY_REGISTERED, Kind.CONFLICT)  # another registration was verified first
        return registration

    def resend_registration_otp(self, registration_id: UUID) -> OtpSent:
        registration = self._registration(registration_id)
        challenge, send_log, code = self.new_challenge(
            phone=registration.phone, purpose=PURPOSE, subject=str(registration.id)
        )
        registration.otp_issued(challenge_id=challenge.state.challenge_id)
        self.save_throttled(registration, challenge, send_log)
        return self.send_code(challenge, code)

    def verify_registration(self, registration_id: UUID, code: str, meta: CommandMeta) -> CitizenAccount:
        """The code proves the phone: the account is created, active, with its indexes."""
        registration = self._registration(registration_id)
        assert registration.challenge_id is not None
        challenge = self.challenge(registration.challenge_id, PURPOSE)
        settled = self.check_code(challenge, code)
        now = self.clock.now()
        account_id = uuid4()
        as_account = meta.as_dict()
        as_account["actor_id"] = str(account_id)
        account = CitizenAccount(
            id=account_id,
            id_number=registration.id_number,
            full_name=registration.full_name,
            date_of_birth=registration.date_of_birth,
            phone=registration.phone,
            password_hash=registration.password_hash,
            registration_id=registration.id,
            registered_at=now,
            meta=as_account,
        )
        account.verify_phone(now, as_account)
        registration.completed(account_id=account_id, completed_at=now)
        try:
            self.save(
                registration,
                challenge,
                account,
                self.claim(IndexKind.CITIZEN_ID_NUMBER, registration.id_number, account_id),
                self.claim(IndexKind.CITIZEN_PHONE, registration.phone, account_id),
                *([settled] if settled else []),
            )
        except IntegrityError:
            # Another registration of the same ID number (or phone) was verified first.
            raise refused(ALREADY_REGISTERED, Kind.CONFLICT) from None
        return account
