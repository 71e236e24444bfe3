"""Reading an uploaded file within the size limit (the limit is checked before reading it all)."""

from __future__ import annotations

from fastapi import Request, UploadFile

from ..domain.files import too_large

# Multipart framing around the file (boundaries, part headers, the document_code field).
MULTIPART_OVERHEAD = 64 * 1024


def refuse_oversized_request(request: Request, limit: int) -> None:
    """A declared body far beyond the limit is refused before anything is read."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + MULTIPART_OVERHEAD:
        raise too_large(limit)


async def read_limited(file: UploadFile, limit: int) -> bytes:
    content = await file.read(limit + 1)
    if len(content) > limit:
        raise too_large(limit)
    return content
