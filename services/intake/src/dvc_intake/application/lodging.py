"""Lodging notices: filed at any hour, received at once by the commune police of the ward."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from importlib import resources
from uuid import NAMESPACE_URL, UUID, uuid5

from dvc_contracts.lodging import LodgingNoticeReceived
from dvc_kernel.clock import VIETNAM
from dvc_kernel.event_meta import EventMeta
from dvc_kernel.meta import CommandMeta

from ..adapters.registry import DeclaredPerson
from ..domain.lodging import GuestEntry, LodgingNotice, guest_problems
from ..domain.refusal import Refused
from ..domain.routing import commune_police
from .base import NOTICES, IntakeBase, fingerprint, owned

_VIETNAMESE_ID = re.compile(r"^\d{12}$")
_NOTICE_NS = uuid5(NAMESPACE_URL, "https://dichvucong.bocongan.gov.vn/lodging-notice")


@dataclass(frozen=True)
class LodgingRules:
    date_of_birth_required_from: date
    max_guests: int

    @classmethod
    def load(cls) -> LodgingRules:
        text = resources.files("dvc_intake.data").joinpath("lodging.toml").read_text("utf-8")
        data = tomllib.loads(text)
        return cls(data["date_of_birth_required_from"], int(data["max_guests"]))


@dataclass(frozen=True)
class NoticeRequest:
    establishment: str
    ward_code: str
    address: str
    guests: list[GuestEntry]

    def fingerprint(self) -> str:
        return fingerprint(
            [self.establishment, self.ward_code, self.address, [g.as_dict() for g in self.guests]]
        )


class LodgingCommands(IntakeBase):
    lodging_rules = LodgingRules.load()

    def file_notice(
        self, owner: str, request: NoticeRequest, idempotency_key: str, meta: CommandMeta
    ) -> tuple[LodgingNotice, bool]:
        notice_id = uuid5(_NOTICE_NS, f"{owner}\x1f{idempotency_key}")

        def already_done() -> tuple[LodgingNotice, bool] | None:
            existing = self._get(LodgingNotice, notice_id)
            if existing is None:
                return None
            if existing.host_account != owner or existing.request_fingerprint != request.fingerprint():
                raise Refused(
                    "idempotency_key_reused",
                    "Khóa chống trùng lặp (Idempotency-Key) đã được dùng cho một thông báo khác.",
                    "conflict",
                )
            return existing, False

        done = already_done()
        if done is not None:
            return done
        now = self.clock.now()
        rules = self.lodging_rules
        if len(request.guests) > rules.max_guests:
            raise Refused("too_many_guests", f"Mỗi thông báo lưu trú khai tối đa {rules.max_guests} người.")
        problems = guest_problems(
            request.guests, now.astimezone(VIETNAM).date(), rules.date_of_birth_required_from
        )
        if problems:
            raise Refused(
                "invalid_guests",
                "Thông tin người lưu trú chưa hợp lệ. Vui lòng sửa các mục được nêu dưới đây.",
                guests=[p.as_dict() for p in problems],
            )
        unit = commune_police(request.ward_code, self.units)
        self._check_guests_in_registry(request.guests)

        def build(code: str) -> LodgingNotice:
            return LodgingNotice(
                id=notice_id,
                code=code,
                host_account=owner,
                establishment=request.establishment,
                ward_code=request.ward_code,
                address=request.address,
                unit_code=unit.code,
                guests=[g.as_dict() for g in request.guests],
                filed_at=now,
                request_fingerprint=request.fingerprint(),
                meta=meta.as_dict(),
            )

        return self.save_with_new_code(notice_id, build, already_done, [owned(NOTICES, owner, notice_id)])

    def _check_guests_in_registry(self, guests: list[GuestEntry]) -> None:
        """Guests with a Vietnamese personal ID number (12 digits) and a date of birth are
        checked against the population registry, as applicants are (one call per guest);
        guests declared without a date of birth (allowed before the rule's date) cannot be."""
        mismatched = []
        for i, guest in enumerate(guests):
            if guest.date_of_birth is None or not _VIETNAMESE_ID.match(guest.id_number):
                continue
            verdict = self.registry.check(
                DeclaredPerson(guest.id_number, guest.full_name, guest.date_of_birth)
            )
            if not verdict.matched:
                message = (
                    f"Khách thứ {i + 1} ({guest.full_name}): số định danh, họ tên và ngày sinh không khớp "
                    "với Cơ sở dữ liệu quốc gia về dân cư."
                )
                mismatched.append({"guest": i, "field": "id_number", "message": message})
        if mismatched:
            raise Refused(
                "guest_registry_mismatch",
                "Thông tin người lưu trú không khớp với Cơ sở dữ liệu quốc gia về dân cư. "
                "Vui lòng kiểm tra lại giấy tờ của khách.",
                guests=mismatched,
            )

    def note_lodging_verdicts(self, received: LodgingNoticeReceived, meta: EventMeta) -> LodgingNotice | None:
        notice = self._get(LodgingNotice, received.notice_id)
        verdicts = [g.model_dump(mode="json") for g in received.guests]
        if notice is None or not notice.note_verdicts(received.received_at, verdicts, meta):
            return None
        return notice

    def notice(self, owner: str, notice_id: UUID) -> LodgingNotice | None:
        notice = self._get(LodgingNotice, notice_id)
        return notice if notice is not None and notice.host_account == owner else None

    def notices_of(self, owner: str) -> list[LodgingNotice]:
        found = (self.notice(owner, notice_id) for notice_id in self.owned_ids(NOTICES, owner))
        return [n for n in found if n is not None]
