"""The e-result: a signed PDF in Vietnamese that anyone can verify, downloaded by its owner."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path
from uuid import uuid4

import pypdf

from dvc_contracts.delivery import ResultDelivered, ResultDispatched
from dvc_delivery.adapters.document import ResultDocument, render
from dvc_delivery.adapters.signature_check import check_signature
from dvc_delivery.adapters.signing import LocalCa
from dvc_kernel.local_secrets import SERVICE_SECRET_HEADER

from .conftest import ISSUED_AT, OWNER, SERVICE_SECRET, TOKENS, UNIT, VERIFY_URL, World


def issued_e_result(world: World) -> tuple[str, bytes, ResultDispatched]:
    dossier_id = world.submit(mode="e_result")
    world.issue(dossier_id, "e_result")
    answer = world.client.get(f"/v1/results/{dossier_id}/document.pdf", headers=world.officer())
    assert answer.status_code == 200, answer.text
    dispatched = world.published(dossier_id)[0]
    assert isinstance(dispatched, ResultDispatched)
    return str(dossier_id), answer.content, dispatched


def rendered(dispatched: ResultDispatched, summary: str, unit: str) -> bytes:
    """An unsigned result document for the dispatched dossier, as delivery renders one."""
    return render(
        ResultDocument(
            dossier_code=dispatched.dossier_code,
            procedure="Đăng ký tạm trú",
            applicant="Nguyễn Thị Hoa",
            result_form="CT08",
            summary=summary,
            unit=unit,
            issued_at=ISSUED_AT,
            verification_code=str(dispatched.verification_code),
            verification_url=VERIFY_URL.format(code=dispatched.verification_code),
        )
    )


def test_an_issued_e_result_is_signed_and_dispatched(world: World) -> None:
    _, pdf, dispatched = issued_e_result(world)

    assert dispatched.channel == "e_result"
    assert dispatched.document_sha256 is not None and dispatched.verification_code is not None
    check = check_signature(pdf, world.ca.trust_roots())
    assert check.valid
    assert check.signer is not None and "Công an phường Ba Đình" in check.signer


def test_the_pdf_reads_in_vietnamese_with_every_diacritic(world: World) -> None:
    _, pdf, dispatched = issued_e_result(world)

    text = " ".join(pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    for expected in (
        "KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
        "Cộng hòa xã hội chủ nghĩa Việt Nam".upper(),
        "Đăng ký tạm trú",
        "Nguyễn Thị Hoa",
        "Công an phường Ba Đình",
        "Đã đăng ký tạm trú cho bà Nguyễn Thị Hoa tại phường Ba Đình đến ngày 23/11/2028.",
        "10:00 ngày 23/11/2026",
        str(dispatched.verification_code),
    ):
        assert expected in text, expected


def test_a_signed_pdf_verifies_and_a_one_byte_change_fails(world: World) -> None:
    _, pdf, dispatched = issued_e_result(world)

    good = world.client.post("/v1/verify", files={"file": ("ket-qua.pdf", pdf, "application/pdf")})
    assert good.status_code == 200
    assert good.json()["authentic"] is True
    assert good.json()["dossier_code"] == dispatched.dossier_code
    assert good.json()["sha256"] == dispatched.document_sha256

    for position in (len(pdf) // 3, len(pdf) // 2, len(pdf) - 40):
        changed = bytearray(pdf)
        changed[position] ^= 0x01
        verdict = world.client.post(
            "/v1/verify", files={"file": ("ket-qua.pdf", bytes(changed), "application/pdf")}
        )
        assert verdict.status_code == 200
        assert verdict.json()["authentic"] is False, position
        assert verdict.json()["issued_by_us"] is False


def test_a_pdf_signed_by_another_ca_is_not_authentic(world: World, tmp_path: Path) -> None:
    _, _, dispatched = issued_e_result(world)
    forged = rendered(dispatched, "Đã đăng ký thường trú.", "Công an phường Ba Đình")
    signed = LocalCa(tmp_path / "forger").sign(forged, UNIT, "Công an phường Ba Đình")

    verdict = world.client.post("/v1/verify", files={"file": ("x.pdf", signed, "application/pdf")}).json()

    assert verdict["authentic"] is False
    assert verdict["signature_valid"] is False
    assert verdict["issued_by_us"] is False


def test_the_qr_code_names_the_dossier_and_its_hash(world: World) -> None:
    _, _, dispatched = issued_e_result(world)

    answer = world.client.get(f"/v1/verify/{dispatched.verification_code}")

    assert answer.status_code == 200
    assert answer.json() == {
        "status": "valid",
        "dossier_code": dispatched.dossier_code,
        "issued_by": "Công an phường Ba Đình",
        "issued_at": answer.json()["issued_at"],
        "sha256": dispatched.document_sha256,
    }
    assert world.client.get("/v1/verify/AAAA-BBBB-CCCC").status_code == 404


def test_not_a_pdf_is_refused_with_a_clear_error(world: World) -> None:
    answer = world.client.post("/v1/verify", files={"file": ("a.txt", b"hello", "text/plain")})
    assert answer.status_code == 422
    assert answer.json()["code"] == "not_a_pdf"


def test_the_owners_first_download_delivers_it_once(world: World) -> None:
    dossier_id = world.submit(mode="e_result")
    world.issue(dossier_id, "e_result")

    staff = world.client.get(f"/v1/results/{dossier_id}/document.pdf", headers=world.officer())
    first = world.client.get(f"/v1/results/{dossier_id}/document.pdf", headers=world.owner())
    again = world.client.get(f"/v1/results/{dossier_id}/document.pdf", headers=world.owner())

    assert staff.status_code == first.status_code == again.status_code == 200
    assert first.content == again.content == staff.content
    assert first.headers["content-type"] == "application/pdf"
    assert world.types(dossier_id) == ["ResultDispatched", "ResultDelivered"]
    delivered = world.published(dossier_id)[1]
    assert isinstance(delivered, ResultDelivered) and delivered.channel == "e_result"


def test_only_the_owner_and_the_units_staff_may_download(world: World) -> None:
    dossier_id = world.submit(mode="e_result")
    world.issue(dossier_id, "e_result")
    url = f"/v1/results/{dossier_id}/document.pdf"

    assert world.client.get(url, headers=TOKENS.headers("citizen", subject="someone-else")).status_code == 404
    assert world.client.get(url, headers=world.officer("CAX-00070")).status_code == 404
    assert world.client.get(url, headers=TOKENS.headers("auditor")).status_code == 403
    assert world.client.get(url).status_code == 401
    assert world.types(dossier_id) == ["ResultDispatched"]


def test_notify_fetches_the_pdf_with_the_service_secret(world: World) -> None:
    dossier_id = world.submit(mode="e_result")
    world.issue(dossier_id, "e_result")
    url = f"/v1/internal/results/{dossier_id}/document.pdf"

    fetched = world.client.get(url, headers={SERVICE_SECRET_HEADER: SERVICE_SECRET})
    wrong = world.client.get(url, headers={SERVICE_SECRET_HEADER: "guess"})
    missing = world.client.get(
        f"/v1/internal/results/{uuid4()}/document.pdf", headers={SERVICE_SECRET_HEADER: SERVICE_SECRET}
    )

    assert fetched.status_code == 200 and fetched.content.startswith(b"%PDF-")
    assert wrong.status_code == 403
    assert missing.status_code == 404
    assert world.types(dossier_id) == ["ResultDispatched"]  # notify fetching is not the citizen receiving


def test_a_redelivered_result_issued_signs_nothing_new(world: World) -> None:
    dossier_id = world.submit(mode="e_result")
    world.issue(dossier_id, "e_result")
    world.issue(dossier_id, "e_result")  # processing's event delivered again (new offset)

    assert world.types(dossier_id) == ["ResultDispatched"]
    assert world.app.delivery(dossier_id) is not None
    assert world.app.delivery(dossier_id).owner_account == OWNER  # type: ignore[union-attr]


def test_the_local_ca_is_created_once_and_shared(tmp_path: Path) -> None:
    first = LocalCa(tmp_path)
    second = LocalCa(tmp_path)
    assert first.ca_certificate_pem() == second.ca_certificate_pem()


def test_staff_reads_of_the_record_and_the_result_are_recorded_and_the_owners_are_not(world: World) -> None:
    from dvc_contracts.delivery import ResultRecordRead
    from dvc_delivery.domain.read_log import ReadLog
    from dvc_delivery.translation import translate

    dossier_id = world.submit(mode="e_result")
    world.issue(dossier_id, "e_result")
    for headers in (world.owner(), world.officer()):
        assert world.client.get(f"/v1/results/{dossier_id}", headers=headers).status_code == 200
        assert world.client.get(f"/v1/results/{dossier_id}/document.pdf", headers=headers).status_code == 200

    reads = [translate(e) for e in world.app.events.get(ReadLog.id_for(dossier_id))]
    payloads = [out.payload for out in reads if out is not None]
    assert all(isinstance(p, ResultRecordRead) for p in payloads)
    assert [(p.what, p.viewer_role, p.viewer_units) for p in payloads] == [  # type: ignore[attr-defined]
        ("record", "officer", [UNIT]),
        ("document", "officer", [UNIT]),
    ]


async def test_an_e_result_is_signed_from_a_thread_whose_event_loop_runs(world: World) -> None:
    # A store call may run on the event loop (ADR 0018); pyHanko's own loop must not trip on it.
    _, _, dispatched = issued_e_result(world)
    document = rendered(dispatched, "Đã đăng ký tạm trú.", "Công an phường Bến Thành")
    signed = world.ca.sign(document, UNIT, "Công an phường Bến Thành")
    check = await asyncio.to_thread(check_signature, signed, world.ca.trust_roots())
    assert check.valid
