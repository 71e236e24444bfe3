"""FastAPI dependencies of payment's routes: who may call them."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from dvc_kernel.auth.fastapi import require_roles
from dvc_kernel.auth.principal import Principal, Role

Applicant = Annotated[Principal, Depends(require_roles(Role.CITIZEN, Role.ORGANISATION))]
Handler = Annotated[Principal, Depends(require_roles(Role.OFFICER, Role.SUPERVISOR))]
Reconciler = Annotated[Principal, Depends(require_roles(Role.OFFICER, Role.SUPERVISOR, Role.AUDITOR))]
