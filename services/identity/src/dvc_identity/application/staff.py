"""Operators manage staff accounts: appointment, transfer (scope change), removal."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from uuid import UUID, uuid4

from eventsourcing.persistence import IntegrityError

from dvc_kernel.meta import CommandMeta
from dvc_kernel.refusal import Kind

from ..domain.id_number import parse_id_number
from ..domain.indexes import IndexKind
from ..domain.phone import is_mobile_number, normalise_phone
from ..domain.refusal import Refusal, RefusedError
from ..domain.staff import STAFF_ROLES, StaffAccount
from ..domain.units import check_unit_codes
from .base import IdentityBase
from .errors import refuse_weak_password, refused
from .registration import NOT_MOBILE

ALREADY_STAFF = Refusal("staff.already_appointed", "Người này đã có tài khoản cán bộ đang hoạt động.")
UNKNOWN_STAFF = Refusal("staff.not_found", "Không tìm thấy tài khoản cán bộ.")
BAD_ROLE = Refusal("staff.bad_role", "Vai trò phải là officer, supervisor, auditor hoặc operator.")
NO_NAME = Refusal("staff.no_name", "Vui lòng nhập họ, chữ đệm và tên của cán bộ.")
SELF_REMOVAL = Refusal("staff.self_removal", "Không thể tự thu hồi tài khoản của chính mình.")


@dataclass(frozen=True)
class StaffRequest:
    id_number: str
    full_name: str
    phone: str
    role: str
    units: list[str]
    password: str  # initial password, handed to the officer; every login also needs the OTP


class StaffCommands(IdentityBase):
    def _units(self, units: list[str]) -> list[str]:
        return check_unit_codes(units, self.tools.unit_exists)

    def appoint_staff(self, request: StaffRequest, meta: CommandMeta) -> StaffAccount:
        id_number = parse_id_number(request.id_number).value
        full_name = " ".join(unicodedata.normalize("NFC", request.full_name).split())
        if not full_name:
            raise refused(NO_NAME)
        phone = normalise_phone(request.phone)
        if not is_mobile_number(phone):
            raise refused(NOT_MOBILE)
        if request.role not in STAFF_ROLES:
            raise refused(BAD_ROLE)
        units = self._units(request.units)
        refuse_weak_password(request.password, id_number=id_number, phone=phone)
        account = StaffAccount(
            id=uuid4(),
            id_number=id_number,
            full_name=full_name,
            phone=phone,
            role=request.role,
            units=units,
            password_hash=self.tools.hashing.hash(request.password),
            appointed_at=self.clock.now(),
            meta=meta.as_dict(),
        )
        index = self.indexed(IndexKind.STAFF_ID_NUMBER, id_number)
        if index is None:
            index = self.claim(IndexKind.STAFF_ID_NUMBER, id_number, account.id)
        else:
            previous = self.find(StaffAccount, index.account_id)
            if previous is not None and not previous.removed:
                raise refused(ALREADY_STAFF, Kind.CONFLICT)
            index.reassign(account.id)  # appointed again after a removal: a new account
        try:
            self.save(account, index)
        except IntegrityError:
            raise refused(ALREADY_STAFF, Kind.CONFLICT) from None
        return account

    def staff(self, staff_id: UUID) -> StaffAccount:
        account = self.find(StaffAccount, staff_id)
        if account is None:
            raise refused(UNKNOWN_STAFF, Kind.NOT_FOUND)
        return account

    def change_staff_units(self, staff_id: UUID, units: list[str], meta: CommandMeta) -> StaffAccount:
        account = self.staff(staff_id)
        checked = self._units(units)  # a unit refused is a bad request, not a conflict
        try:
            changed = account.change_scope(checked, self.clock.now(), meta.as_dict())
        except RefusedError as error:
            raise refused(error.refusal, Kind.CONFLICT) from None
        if changed:
            self.save(account)
        return account

    def remove_staff(self, staff_id: UUID, reason: str, meta: CommandMeta) -> StaffAccount:
        if str(staff_id) == meta.actor_id:
            raise refused(SELF_REMOVAL, Kind.CONFLICT)
        account = self.staff(staff_id)
        if account.remove(reason.strip(), self.clock.now(), meta.as_dict()):
            self.save(account)
        return account
