"""What delivery's routes depend on: who is asking, and which dossier they name."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from dvc_kernel.auth.fastapi import require_roles
from dvc_kernel.auth.principal import Principal, Role

# The owner, or the staff of the dossier's unit (the application checks which).
Reader = Annotated[
    Principal, Depends(require_roles(Role.CITIZEN, Role.ORGANISATION, Role.OFFICER, Role.SUPERVISOR))
]
Applicant = Annotated[Principal, Depends(require_roles(Role.CITIZEN, Role.ORGANISATION))]
Handler = Annotated[Principal, Depends(require_roles(Role.OFFICER, Role.SUPERVISOR))]

DossierRef = Annotated[
    str, Path(description="The dossier code, as every service takes it (its id is accepted too).")
]
