"""What delivery's routes depend on: who is asking, which dossier they name, and the
consistency token of a write the reader expects to see."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Path, Query
from fastapi.responses import JSONResponse

from dvc_kernel import consistency
from dvc_kernel.auth.fastapi import require_roles
from dvc_kernel.auth.principal import Principal, Role

from ..application import DeliveryApplication

# The owner, or the staff of the dossier's unit (the application checks which).
Reader = Annotated[
    Principal, Depends(require_roles(Role.CITIZEN, Role.ORGANISATION, Role.OFFICER, Role.SUPERVISOR))
]
Applicant = Annotated[Principal, Depends(require_roles(Role.CITIZEN, Role.ORGANISATION))]
Handler = Annotated[Principal, Depends(require_roles(Role.OFFICER, Role.SUPERVISOR))]

DossierRef = Annotated[
    str, Path(description="The dossier code, as every service takes it (its id is accepted too).")
]


async def consistency_token(
    header: Annotated[
        str | None,
        Header(alias=consistency.HEADER, description="From a command's answer: wait until it shows"),
    ] = None,
    parameter: Annotated[
        str | None,
        Query(
            alias="consistency", description="The consistency token, when a header cannot be set (a redirect)"
        ),
    ] = None,
) -> consistency.Token | None:
    return consistency.parse(header, parameter)


# Read-your-writes (ADR 0023): a view given a token waits, a bounded time, for the write it names.
Consistency = Annotated[consistency.Token | None, Depends(consistency_token)]


async def not_yet_shown(app: DeliveryApplication, token: consistency.Token | None) -> JSONResponse | None:
    """None when the view may answer now: no token, or its write became visible within the
    bound; else the 503 (with `Retry-After`) to answer instead of a stale "not found"."""
    if token is None or await consistency.visible(lambda: app.shows(token)):
        return None
    return consistency.not_yet_visible(token)
