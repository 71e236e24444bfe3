"""What intake's routes share: who may call them, command meta, ETags and idempotency keys."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Depends, Header, Request, Response

from dvc_kernel import consistency
from dvc_kernel.auth.fastapi import require_roles
from dvc_kernel.auth.principal import Principal, Role
from dvc_kernel.caller_meta import caller_meta
from dvc_kernel.meta import CommandMeta
from dvc_kernel.refusal import Kind, Refusal

from ..domain.dossier import Dossier

# Citizens and organisations file; staff cannot (a dossier is the applicant's own act).
Applicant = Annotated[Principal, Depends(require_roles(Role.CITIZEN, Role.ORGANISATION))]
IdempotencyKey = Annotated[
    str,
    Header(
        min_length=8,
        max_length=128,
        description="Chosen by the client per intended action; a retry with the same key repeats nothing.",
    ),
]
_ETAG = re.compile(r'^\s*(?:W/)?"?(\d+)"?\s*$')


def meta_for(request: Request, principal: Principal) -> CommandMeta:
    return caller_meta(request, principal)


def read_your_write(dossier: Dossier) -> dict[str, str]:
    """The header processing's views wait on, when given it, until they show this write."""
    return {consistency.HEADER: consistency.aggregate_token("intake", dossier.id, dossier.version)}


def created_or_repeated(response: Response, dossier: Dossier, created: bool) -> None:
    """A new write is 201 with its read-your-writes header; the same request again (the same
    Idempotency-Key) is 200 with what the first one wrote."""
    if created:
        response.headers.update(read_your_write(dossier))
    else:
        response.status_code = 200


def etag(version: int) -> str:
    return f'"{version}"'


async def expected_version(
    if_match: Annotated[
        str | None, Header(description="The ETag of the draft as last read (its version).")
    ] = None,
) -> int:
    """The version the caller last saw; a write without it could silently undo another's."""
    if if_match is None:
        raise Refusal(
            "if_match_required",
            "Thiếu phiên bản hồ sơ nháp (If-Match). Vui lòng tải lại hồ sơ nháp trước khi lưu.",
            Kind.PRECONDITION_REQUIRED,
        )
    found = _ETAG.match(if_match)
    if found is None:
        raise Refusal(
            "if_match_invalid", "Phiên bản hồ sơ nháp (If-Match) không hợp lệ.", Kind.PRECONDITION_REQUIRED
        )
    return int(found.group(1))


ExpectedVersion = Annotated[int, Depends(expected_version)]
