"""Files are judged by their first bytes, and stored once under their SHA-256."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from dvc_intake.adapters.storage import LocalFileStore
from dvc_intake.domain.files import accepted_file, sniff_media_type
from dvc_intake.domain.refusal import Refused

from .conftest import JPEG, PDF, PNG


@pytest.mark.parametrize(
    ("content", "media_type"), [(PDF, "application/pdf"), (JPEG, "image/jpeg"), (PNG, "image/png")]
)
def test_pdf_jpeg_and_png_are_recognised(content: bytes, media_type: str) -> None:
    assert sniff_media_type(content) == media_type


@pytest.mark.parametrize(
    "content",
    [b"PK\x03\x04 a .docx", b"GIF89a", b"MZ\x90\x00", b"<html>%PDF-", b" %PDF-1.7"],
)
def test_anything_else_is_refused_whatever_it_is_called(content: bytes) -> None:
    with pytest.raises(Refused) as refused:
        accepted_file(content, 1024)
    assert (refused.value.code, refused.value.kind) == ("file_type_not_allowed", "unsupported")


# An ELF executable (its header: magic, 64-bit, little-endian, version 1, Linux ABI) behind
# the PDF magic number: what a PDF check by first bytes alone lets through.
ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x02\x00\x3e\x00" + bytes(4000)


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.7\n" + ELF, b"%PDF-", b"%PDF-1.4\n%%EOF\n", b"%PDF-1.7\ntrailer << /Root 1 0 R >>\n%%EOF"],
)
def test_a_pdf_must_open_as_a_pdf(content: bytes) -> None:
    with pytest.raises(Refused) as refused:
        accepted_file(content, 1 << 20)
    assert (refused.value.code, refused.value.kind) == ("file_not_a_pdf", "unsupported")
    assert "không phải là một tài liệu PDF" in refused.value.message


def test_the_size_limit_holds_to_the_byte() -> None:
    assert accepted_file(PDF, len(PDF))[1] == "application/pdf"
    with pytest.raises(Refused) as refused:
        accepted_file(PDF, len(PDF) - 1)
    assert refused.value.kind == "too_large"
    with pytest.raises(Refused):
        accepted_file(b"", 1024)


def test_the_local_store_keeps_a_file_under_its_hash(tmp_path: Path) -> None:
    store = LocalFileStore(tmp_path)
    digest = hashlib.sha256(PDF).hexdigest()
    store.put(digest, PDF, "application/pdf")
    store.put(digest, PDF, "application/pdf")  # the same content again: nothing changes
    assert (tmp_path / digest[:2] / digest).read_bytes() == PDF
    assert store.get(digest) == PDF
    assert store.get("0" * 64) is None
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [digest]
