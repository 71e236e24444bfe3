"""What a file is, judged by its content, and whether the portal takes it.

The name and the browser's declared type prove nothing: a renamed executable called `.pdf`
must be refused. The portal takes scans and photos as PDF, JPEG or PNG, recognised by their
first bytes (their "magic numbers"); a PDF must also open as one (a parser finds its catalog).
"""

from __future__ import annotations

import hashlib
import io
import logging

from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from .refusal import Refused

# Signature -> media type. PDF: "%PDF-" (ISO 32000-1 §7.5.2); JPEG: SOI marker FF D8 FF;
# PNG: the 8-byte signature of RFC 2083 §3.1.
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
ACCEPTED_NAMES = "PDF, JPEG hoặc PNG"


def sniff_media_type(content: bytes) -> str | None:
    for signature, media_type in SIGNATURES:
        if content.startswith(signature):
            return media_type
    return None


def opens_as_pdf(content: bytes) -> bool:
    """Whether a PDF parser finds a document: a cross-reference, a trailer and its catalog.
    `%PDF-` followed by an executable has the magic number and nothing else."""
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # a broken file is our answer, not noise
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        catalog = reader.trailer["/Root"].get_object()
        return isinstance(catalog, DictionaryObject) and catalog.get("/Type") == "/Catalog"
    except Exception:
        return False


def mebibytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def too_large(limit: int) -> Refused:
    return Refused(
        "file_too_large",
        f"Tệp đính kèm vượt quá dung lượng cho phép ({mebibytes(limit)}). "
        "Vui lòng nén hoặc chụp lại với độ phân giải thấp hơn.",
        "too_large",
        limit_bytes=limit,
    )


def accepted_file(content: bytes, limit: int) -> tuple[str, str]:
    """(sha256, media type) of an acceptable file; refused when empty, too large or of a
    type the portal does not take."""
    if not content:
        raise Refused("file_empty", "Tệp đính kèm không có nội dung.")
    if len(content) > limit:
        raise too_large(limit)
    media_type = sniff_media_type(content)
    if media_type is None:
        raise Refused(
            "file_type_not_allowed",
            f"Tệp đính kèm phải là {ACCEPTED_NAMES}. Loại tệp được xác định theo nội dung, "
            "không theo tên tệp.",
            "unsupported",
        )
    if media_type == "application/pdf" and not opens_as_pdf(content):
        raise Refused(
            "file_not_a_pdf",
            "Tệp có phần đầu của tệp PDF nhưng không phải là một tài liệu PDF đọc được.",
            "unsupported",
        )
    return hashlib.sha256(content).hexdigest(), media_type
