"""Access tokens: short-lived JWTs signed with Ed25519 keys from a rotating key ring.

Every service verifies them locally against the JWKS document (``KeyRing.jwks``) served at
``/.well-known/jwks.json``. Rotation logs nobody out: a new key takes over signing, and an
old key stays in the JWKS until every token it signed has expired (``KeyRing.prune``). A new
key can be published ahead of signing (``publish_ahead``) so that verifiers holding a cached
JWKS already know it; verifiers also refetch on an unknown ``kid``.

Key material is kept as PKCS#8 PEM in ``KeyRing.to_document``; the caller stores that
document encrypted (event-store cipher or secret store) and shares it between instances.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm

ALGORITHM = "EdDSA"
TOKEN_TYPE = "at+jwt"  # RFC 9068: tells access tokens apart from any other JWT
ACCESS_TOKEN_TTL = timedelta(minutes=15)
CLOCK_LEEWAY = timedelta(seconds=30)  # verifiers accept this much clock skew


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key: Ed25519PrivateKey
    activates_at: datetime  # signs from then until the next key activates

    @classmethod
    def generate(cls, activates_at: datetime) -> SigningKey:
        key = Ed25519PrivateKey.generate()
        return cls(kid=thumbprint(public_jwk_members(key)), private_key=key, activates_at=activates_at)

    def public_jwk(self) -> dict[str, str]:
        return {
            **public_jwk_members(self.private_key),
            "kid": self.kid,
            "alg": ALGORITHM,
            "use": "sig",
        }


def public_jwk_members(key: Ed25519PrivateKey) -> dict[str, str]:
    members: dict[str, str] = OKPAlgorithm.to_jwk(key.public_key(), as_dict=True)
    return {"kty": members["kty"], "crv": members["crv"], "x": members["x"]}


def thumbprint(members: Mapping[str, str]) -> str:
    """RFC 7638 JWK thumbprint: the key id is derived from the key itself."""
    canonical = json.dumps(dict(sorted(members.items())), separators=(",", ":"))
    return _b64url(hashlib.sha256(canonical.encode()).digest())


@dataclass(frozen=True)
class KeyRing:
    """Signing keys ordered by activation; immutable, every change returns a new ring."""

    keys: tuple[SigningKey, ...]

    @classmethod
    def generate(cls, now: datetime) -> KeyRing:
        return cls((SigningKey.generate(now),))

    def active(self, now: datetime) -> SigningKey:
        """The key that signs at ``now``: the latest one already activated."""
        live = [k for k in self.keys if k.activates_at <= now]
        if not live:
            raise LookupError("no signing key is active yet")
        return max(live, key=lambda k: k.activates_at)

    def rotate(self, now: datetime, *, publish_ahead: timedelta = timedelta(0)) -> KeyRing:
        """Add a key that takes over signing at ``now + publish_ahead``."""
        return KeyRing((*self.keys, SigningKey.generate(now + publish_ahead)))

    def prune(self, now: datetime, *, keep_for: timedelta = ACCESS_TOKEN_TTL + CLOCK_LEEWAY) -> KeyRing:
        """Drop keys that stopped signing more than ``keep_for`` ago (their tokens are dead)."""
        starts = sorted(k.activates_at for k in self.keys)
        kept = []
        for key in self.keys:
            later = [t for t in starts if t > key.activates_at and t <= now]
            if not later or min(later) + keep_for > now:
                kept.append(key)
        return replace(self, keys=tuple(kept))

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        """The JSON Web Key Set: every public key the ring holds, newest first."""
        ordered = sorted(self.keys, key=lambda k: k.activates_at, reverse=True)
        return {"keys": [k.public_jwk() for k in ordered]}

    def to_document(self, password: bytes | None = None) -> dict[str, Any]:
        """A JSON-able form with private keys as PKCS#8 PEM (encrypted if a password is given)."""
        encryption: serialization.KeySerializationEncryption = (
            serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
        )
        return {
            "keys": [
                {
                    "kid": k.kid,
                    "activates_at": k.activates_at.isoformat(),
                    "private_key_pem": k.private_key.private_bytes(
                        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
                    ).decode(),
                }
                for k in self.keys
            ]
        }

    @classmethod
    def from_document(cls, document: Mapping[str, Any], password: bytes | None = None) -> KeyRing:
        keys = []
        for entry in document["keys"]:
            private = serialization.load_pem_private_key(entry["private_key_pem"].encode(), password)
            if not isinstance(private, Ed25519PrivateKey):
                raise ValueError(f"key {entry['kid']} is not an Ed25519 key")
            keys.append(SigningKey(entry["kid"], private, datetime.fromisoformat(entry["activates_at"])))
        return cls(tuple(keys))


@dataclass(frozen=True)
class AccessToken:
    token: str
    jti: str
    expires_at: datetime


@dataclass(frozen=True)
class TokenIssuer:
    issuer: str  # e.g. the identity service's public URL
    audience: str  # the platform's services; every verifier checks it
    ttl: timedelta = ACCESS_TOKEN_TTL

    def issue(
        self,
        ring: KeyRing,
        *,
        subject: str,
        role: str,
        units: Iterable[str] = (),
        now: datetime,
        registry_stamp: str | None = None,
    ) -> AccessToken:
        key = ring.active(now)
        jti = secrets.token_urlsafe(16)
        expires_at = now + self.ttl
        claims = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": subject,
            "role": role,
            "units": sorted(set(units)),
            "iat": int(now.timestamp()),
            "exp": int(expires_at.timestamp()),
            "jti": jti,
        }
        if registry_stamp is not None:
            claims["reg"] = registry_stamp  # the holder matched the registry just now
        headers = {"kid": key.kid, "typ": TOKEN_TYPE}
        token = jwt.encode(claims, key.private_key, algorithm=ALGORITHM, headers=headers)
        return AccessToken(token, jti, expires_at)
