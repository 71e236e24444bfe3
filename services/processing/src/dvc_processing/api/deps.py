"""FastAPI dependencies of processing's routes: who acts, on which version, with what meta;
which units a member of staff oversees."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Header, Query, Request

from dvc_kernel import consistency
from dvc_kernel.auth.fastapi import require_roles
from dvc_kernel.auth.principal import Principal, Role
from dvc_kernel.caller_meta import caller_meta

from ..application import ProcessingApplication
from ..application.officer import Acting

Staff = Annotated[Principal, Depends(require_roles(Role.OFFICER, Role.SUPERVISOR))]
Supervisor = Annotated[Principal, Depends(require_roles(Role.SUPERVISOR))]
Applicant = Annotated[Principal, Depends(require_roles(Role.CITIZEN, Role.ORGANISATION))]
StaffReader = Annotated[Principal, Depends(require_roles(Role.OFFICER, Role.SUPERVISOR, Role.AUDITOR))]
TokenHeader = Annotated[
    str | None, Header(alias=consistency.HEADER, description="From a command's answer: wait until it shows")
]
# The same token as a query parameter, where a header cannot be set (a redirect).
TokenQuery = Annotated[str | None, Query(alias="consistency")]
IfMatch = Annotated[str | None, Header(description="The case version (ETag) you acted on.")]


def acting_on(app: ProcessingApplication) -> Callable[..., Awaitable[Acting]]:
    """The dependency giving an officer's `Acting` on the dossier `{code}` of the path."""

    async def acting(code: str, principal: Staff, request: Request, if_match: IfMatch = None) -> Acting:
        meta = caller_meta(request, principal, app.acting_unit(code, principal))
        return Acting(code, principal, meta, if_match)

    return acting
