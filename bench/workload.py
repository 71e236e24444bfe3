"""What the load generator files: complete temporary-residence dossiers from citizens, lodging
notices from establishments, and what each answer says."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

import orjson

from dvc_kernel.clock import VIETNAM
from dvc_testing.e2e import PROOF_OF_RESIDENCE, Person

Kind = Literal["dossier", "lodging"]
ROUTES: dict[Kind, tuple[str, str]] = {  # path, and the field of the answer naming what was filed
    "dossier": ("/v1/dossiers", "dossier_id"),
    "lodging": ("/v1/lodging-notices", "notice_id"),
}


@dataclass(frozen=True)
class Citizen:
    """A resident of the registry, registered and logged in, with a proof of residence uploaded."""

    person: Person
    sex: str  # the form's code: nam / nu
    ward_code: str
    token: str
    proof_sha256: str


@dataclass(frozen=True)
class Host:
    """An establishment that notifies lodging: a registered account, its lodging's ward and
    address, and the guest it notifies (a resident of the registry)."""

    name: str
    ward_code: str
    address: str
    token: str
    guest: Person


@dataclass(frozen=True)
class Answer:
    status: int | None  # None: no HTTP answer at all (connection failure, timeout)
    id: str | None  # the dossier or notice filed (None: not filed)
    key: str  # its idempotency key
    who: int  # which citizen or host filed it
    error: str | None = None


def dossier_body(citizen: Citizen, key: str) -> bytes:
    """A complete 1.004194 filing (CT01 form, ward, proof attached), through intake's one-shot
    route: the same checks, routing and registry look-up as submitting a draft."""
    person = citizen.person
    body: dict[str, Any] = {
        "procedure_code": "1.004194",
        "applicant": {
            "id_number": person.id_number,
            "full_name": person.full_name,
            "date_of_birth": person.date_of_birth,
            "phone": person.phone,
        },
        "delivery_mode": "e_result",
        "ward_code": citizen.ward_code,
        "form_data": {
            "ho_ten": person.full_name,
            "ngay_sinh": person.date_of_birth,
            "gioi_tinh": citizen.sex,
            "so_dinh_danh": person.id_number,
            "noi_dung_de_nghi": f"Đăng ký tạm trú ({key})",
            "noi_de_nghi_ma_xa": citizen.ward_code,
        },
        "attachments": [{"sha256": citizen.proof_sha256, "document_code": PROOF_OF_RESIDENCE}],
    }
    return orjson.dumps(body)


def lodging_body(host: Host, arrived: datetime) -> bytes:
    """A notice of one guest who arrived at `arrived`, staying two nights."""
    local = arrived.astimezone(VIETNAM)
    guest = host.guest
    body = {
        "establishment": host.name,
        "ward_code": host.ward_code,
        "address": host.address,
        "guests": [
            {
                "id_number": guest.id_number,
                "full_name": guest.full_name,
                "date_of_birth": guest.date_of_birth,
                "arrived_at": local.isoformat(timespec="seconds"),
                "stay_from": local.date().isoformat(),
                "stay_until": (local.date() + timedelta(days=2)).isoformat(),
            }
        ],
    }
    return orjson.dumps(body)


def answer_of(kind: Kind, status: int, body: bytes, key: str, who: int) -> Answer:
    if status in (200, 201):
        return Answer(status, str(orjson.loads(body)[ROUTES[kind][1]]), key, who)
    return Answer(status, None, key, who, body[:300].decode(errors="replace"))
