"""How a service verifies tokens: identity's JWKS over HTTP, checked locally (docs/architecture.md §6)."""

from __future__ import annotations

from ..settings import ServiceSettings
from .verifier import HttpJwks, TokenVerifier


def verifier_for(settings: ServiceSettings) -> TokenVerifier:
    return TokenVerifier(
        HttpJwks(f"{settings.identity_base_url}/.well-known/jwks.json"),
        issuer=settings.token_issuer,
        audience=settings.token_audience,
    )
