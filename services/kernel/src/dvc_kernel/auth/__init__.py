"""Token verification and access rules shared by every service."""

from dvc_kernel.auth.access import (
    DossierScope,
    can_change_anything,
    can_change_dossier,
    can_manage_accounts,
    can_read_dossier,
    read_must_be_recorded,
)
from dvc_kernel.auth.principal import Principal, Role
from dvc_kernel.auth.verifier import HttpJwks, StaticJwks, TokenRejected, TokenVerifier

__all__ = [
    "DossierScope",
    "HttpJwks",
    "Principal",
    "Role",
    "StaticJwks",
    "TokenRejected",
    "TokenVerifier",
    "can_change_anything",
    "can_change_dossier",
    "can_manage_accounts",
    "can_read_dossier",
    "read_must_be_recorded",
]
