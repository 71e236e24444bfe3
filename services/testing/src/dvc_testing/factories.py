"""Contract events as tests need them: realistic values, one place to change them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cache
from typing import Any
from uuid import UUID, uuid4

from dvc_contracts import Actor, Envelope, EventPayload
from dvc_contracts.dossier import Applicant, FeePaid, Resubmitted, Submitted
from dvc_contracts.payment import FeeAssessed
from dvc_kernel.catalog_replica import CatalogReplica

SUBMITTED_AT = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)

# The registry's demo resident with every personal field filled: what sealing must hide (tests)
# and what it costs to seal (bench).
MINH = Applicant(
    id_number="079090001234",
    full_name="Trần Văn Minh",
    phone="0903123456",
    email="tran.van.minh@example.vn",
    date_of_birth=date(1990, 8, 21),
)


def submitted(dossier_id: UUID | None = None, **changes: Any) -> Submitted:
    fields: dict[str, Any] = {
        "dossier_id": dossier_id or uuid4(),
        "dossier_code": "261123-K7M3Q9-4",
        "procedure_code": "1.004194",
        "procedure_version": 2,
        "owner_account": "001203004321",
        "applicant": Applicant(id_number="001203004321", full_name="Nguyễn Thị Hoa", phone="0912345678"),
        "delivery_mode": "e_result",
        "form_data": {},
        "submitted_at": SUBMITTED_AT,
    }
    fields.update(changes)
    return Submitted(**fields)


def fee_assessed(dossier_id: UUID, dossier_code: str, amount_vnd: int = 7000, **changes: Any) -> FeeAssessed:
    """What payment says a level-4 temporary-residence dossier owes (online rate)."""
    fields: dict[str, Any] = {
        "dossier_id": dossier_id,
        "dossier_code": dossier_code,
        "procedure_code": "1.004194",
        "procedure_version": 2,
        "amount_vnd": amount_vnd,
        "rate": "online",
        "rule": "Thông tư 75/2022/TT-BTC: lệ phí đăng ký tạm trú nộp trực tuyến",
        "due": "after_acceptance",
        "methods": ["gateway", "vietqr"],
        "assessed_at": SUBMITTED_AT,
    }
    fields.update(changes)
    return FeeAssessed(**fields)


def fee_paid(dossier_id: UUID, amount_vnd: int = 7000, **changes: Any) -> FeePaid:
    fields: dict[str, Any] = {
        "dossier_id": dossier_id,
        "amount_vnd": amount_vnd,
        "method": "gateway",
        "transaction_ref": "14422574",
        "paid_at": SUBMITTED_AT,
    }
    fields.update(changes)
    return FeePaid(**fields)


def resubmitted(dossier_id: UUID, dossier_code: str, request_id: UUID, **changes: Any) -> Resubmitted:
    fields: dict[str, Any] = {
        "dossier_id": dossier_id,
        "dossier_code": dossier_code,
        "request_id": request_id,
        "form_data": {},
        "attachments": [],
        "note": "Đã bổ sung theo yêu cầu",
        "resubmitted_at": SUBMITTED_AT,
    }
    fields.update(changes)
    return Resubmitted(**fields)


def envelope(
    payload: EventPayload,
    subject: UUID | str,
    *,
    producer: str = "intake",
    actor: Actor | None = None,
    version: int = 1,
    occurred_at: datetime | None = None,
    prev: Envelope | None = None,
    cause: Envelope | None = None,
) -> Envelope:
    """The envelope a producer would send; it happened at the payload's own `*_at` time. With
    `prev`, it is chained to its aggregate's previous event; with `cause`, caused by that one."""
    if occurred_at is None:
        stamps = [v for k, v in payload if k.endswith("_at") and isinstance(v, datetime)]
        occurred_at = stamps[0] if stamps else SUBMITTED_AT
    return Envelope(
        event_id=uuid4(),
        event_type=payload.event_type,
        schema_version=payload.schema_version,
        subject=str(subject),
        occurred_at=occurred_at,
        producer=producer,
        aggregate_version=version,
        actor=actor or Actor(id="001203004321", role="citizen"),
        causation_id=cause.event_id if cause else None,
        prev_hash=prev.hash if prev else None,
        payload=payload.model_dump(mode="json"),
    ).sealed()


@cache
def catalog_replica() -> CatalogReplica:
    """A replica holding everything the catalog's own data files publish, as a running
    service would after catching up."""
    from dvc_catalog import translation
    from dvc_catalog.adapters import load_catalog

    catalog = load_catalog()
    replica = CatalogReplica()
    for procedure in catalog.procedures:
        for version in procedure.versions:
            payload = translation.procedure_version_published(version)
            replica.apply(envelope(payload, f"{payload.code}@v{payload.version}", producer="catalog"))
    for unit in catalog.units.all():
        replica.apply(envelope(translation.unit_published(unit), unit.code, producer="catalog"))
    return replica


@cache
def one_page_pdf() -> bytes:
    """A real (blank, one-page) PDF: intake opens every PDF with a parser (issue 14)."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
