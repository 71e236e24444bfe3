"""Anyone's questions about an e-result (is it authentic?), and notify's fetch of the PDF."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from dvc_kernel.refusal import Kind, Refusal
from dvc_kernel.store_commands import store_command

from ..adapters.signature_check import SignatureCheck, check_off_the_loop
from ..domain.result_delivery import ResultDelivery, document_index_id, verification_index_id
from .base import DeliveryBase


@dataclass(frozen=True)
class Verdict:
    """What the public verification page says of a presented PDF."""

    authentic: bool
    signature_valid: bool
    issued_by_us: bool
    sha256: str
    dossier_code: str | None
    issued_by: str | None
    issued_at: datetime | None  # when it was signed
    message: str


def verdict_message(check: SignatureCheck, issued_by_us: bool) -> str:
    if check.valid and issued_by_us:
        return "Văn bản xác thực: chữ ký số hợp lệ và nội dung không bị thay đổi sau khi ký."
    if not check.signed:
        return "Tệp không có chữ ký số của cơ quan giải quyết."
    if not check.valid:
        return "Chữ ký số không hợp lệ: văn bản đã bị thay đổi hoặc không do hệ thống cấp."
    return "Không tìm thấy văn bản này trong số kết quả đã cấp."


class Public(DeliveryBase):
    @store_command
    def by_verification_code(self, code: str) -> ResultDelivery:
        delivery = self.looked_up(verification_index_id(code.strip()))
        if delivery is None:
            raise Refusal(
                "unknown_verification_code", "Không tìm thấy văn bản có mã kiểm tra này.", Kind.NOT_FOUND
            )
        return delivery

    @store_command
    def by_document_hash(self, sha256: str) -> ResultDelivery | None:
        return self.looked_up(document_index_id(sha256))

    async def verify(self, pdf: bytes) -> Verdict:
        """Authentic and unaltered: a valid signature chaining to our root, over the whole file,
        and exactly the bytes we issued (the hash is one we recorded)."""
        digest = hashlib.sha256(pdf).hexdigest()
        check = await check_off_the_loop(pdf, self.signer)
        delivery = await self.by_document_hash(digest)
        return Verdict(
            authentic=check.valid and delivery is not None,
            signature_valid=check.valid,
            issued_by_us=delivery is not None,
            sha256=digest,
            dossier_code=delivery.dossier_code if delivery else None,
            issued_by=delivery.signed_by if delivery else None,
            issued_at=delivery.signed_at if delivery else None,
            message=verdict_message(check, delivery is not None),
        )

    @store_command
    def document_for_service(self, dossier_id: UUID) -> tuple[ResultDelivery, bytes]:
        """The signed PDF, for notify (which attaches it to an e-mail)."""
        delivery = self.delivery(dossier_id)
        if delivery is None or delivery.pdf_base64 is None:
            raise Refusal("no_e_result", "Hồ sơ này chưa có kết quả điện tử.", Kind.NOT_FOUND)
        return delivery, base64.b64decode(delivery.pdf_base64)
