"""Real signed access tokens for tests, from identity's own key ring and issuer.

Tests get the same token format services verify in production; only the key set is handed to
the verifier directly instead of being fetched from identity's JWKS endpoint.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TypedDict, Unpack
from uuid import uuid4

from dvc_identity.domain.tokens import KeyRing, TokenIssuer
from dvc_kernel.auth.verifier import StaticJwks, TokenVerifier

ISSUER = "https://dichvucong.bocongan.gov.vn/identity"
AUDIENCE = "dvc"


class Claims(TypedDict, total=False):
    """What a test may set in a token beside its role and units; by default a fresh subject,
    no registry stamp, issued now."""

    subject: str | None
    registry_stamp: str | None
    now: datetime | None


class TestTokens:
    __test__ = False

    def __init__(self) -> None:
        self._ring = KeyRing.generate(datetime.now(UTC))
        self._issuer = TokenIssuer(issuer=ISSUER, audience=AUDIENCE)

    def verifier(self) -> TokenVerifier:
        return TokenVerifier(StaticJwks(self._ring.jwks()), issuer=ISSUER, audience=AUDIENCE)

    def token(self, role: str, units: Iterable[str] = (), **claims: Unpack[Claims]) -> str:
        issued = self._issuer.issue(
            self._ring,
            subject=claims.get("subject") or str(uuid4()),
            role=role,
            units=tuple(units),
            now=claims.get("now") or datetime.now(UTC),
            registry_stamp=claims.get("registry_stamp"),
        )
        return str(issued.token)

    def headers(self, role: str, units: Iterable[str] = (), **claims: Unpack[Claims]) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(role, units, **claims)}"}
