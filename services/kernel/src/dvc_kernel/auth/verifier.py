"""Local verification of identity's access tokens against its JWKS.

Keys come from a ``JwksSource``: ``HttpJwks`` fetches ``/.well-known/jwks.json`` from
identity, caches it, and refetches early when a token names a ``kid`` it does not know (a
key rotation) — at most once per ``min_refresh_interval``, so random kids cannot turn us
into a flood of requests. ``StaticJwks`` serves a fixed document (tests, offline tools).

Refused: a missing or malformed token, an unknown key, a bad signature, an expired token,
a wrong audience or issuer, a token that is not an access token, unknown role.
Only asymmetric algorithms named by the key itself are accepted (never ``none`` or HS*).
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections import OrderedDict
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import jwt

from dvc_kernel.auth.principal import Principal, Role

ACCEPTED_ALGORITHMS = frozenset({"EdDSA", "ES256"})
ACCESS_TOKEN_TYPE = "at+jwt"


class TokenRejected(Exception):
    """A refused token: ``code`` is machine-readable (English), ``message`` Vietnamese."""

    def __init__(self, code: str, message: str, status: int = 401) -> None:
        super().__init__(f"{code}: {message}")
        self.code, self.message, self.status = code, message, status


def _rejected(code: str, message: str, status: int = 401) -> TokenRejected:
    return TokenRejected(f"auth.{code}", message, status)


RELOGIN = "Vui lòng đăng nhập lại."
# A token cannot be valid beyond this (identity issues them for minutes): an `exp` past it, or
# one that overflows the platform's time_t, is a malformed token (401), not a 500 (issue 14).
LATEST_EXPIRY = datetime(9000, 1, 1, tzinfo=UTC)


def _expiry(exp: Any) -> datetime:
    if isinstance(exp, bool) or not isinstance(exp, int | float):
        raise _rejected("malformed_token", "Mã truy cập không hợp lệ. " + RELOGIN)
    try:
        expires = datetime.fromtimestamp(exp, UTC)
    except (OverflowError, OSError, ValueError) as error:
        raise _rejected("malformed_token", "Mã truy cập không hợp lệ. " + RELOGIN) from error
    if expires >= LATEST_EXPIRY:
        raise _rejected("malformed_token", "Mã truy cập không hợp lệ. " + RELOGIN)
    return expires


class JwksSource(Protocol):
    def may_fetch(self, kid: str) -> bool: ...

    def get_key(self, kid: str) -> jwt.PyJWK | None:
        """The key with this id, refreshing the set if it is unknown; None if still unknown."""
        ...


def _parse_jwks(document: Mapping[str, Any]) -> dict[str, jwt.PyJWK]:
    keys: dict[str, jwt.PyJWK] = {}
    for entry in document.get("keys", []):
        if entry.get("use", "sig") != "sig" or "kid" not in entry:
            continue
        try:
            key = jwt.PyJWK(dict(entry))
        except (jwt.PyJWKError, jwt.InvalidKeyError):
            continue  # one key we cannot use must not hide the others
        if key.algorithm_name in ACCEPTED_ALGORITHMS:
            keys[entry["kid"]] = key
    return keys


class StaticJwks:
    def __init__(self, document: Mapping[str, Any]) -> None:
        self._keys = _parse_jwks(document)

    def get_key(self, kid: str) -> jwt.PyJWK | None:
        return self._keys.get(kid)

    def may_fetch(self, kid: str) -> bool:
        return False


def fetch_url(url: str, timeout: float = 5.0) -> Mapping[str, Any]:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        document: Mapping[str, Any] = json.load(response)
    return document


class HttpJwks:
    """JWKS fetched from identity, cached for ``ttl``; thread-safe."""

    def __init__(
        self,
        url: str,
        *,
        fetch: Callable[[str], Mapping[str, Any]] = fetch_url,
        ttl: timedelta = timedelta(minutes=10),
        min_refresh_interval: timedelta = timedelta(seconds=30),
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._url, self._fetch, self._monotonic = url, fetch, monotonic
        self._ttl, self._min_interval = ttl.total_seconds(), min_refresh_interval.total_seconds()
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at: float | None = None  # last success
        self._attempted_at: float | None = None  # last try, success or not
        self._lock = threading.Lock()

    def _should_fetch(self, kid: str, now: float) -> bool:
        due = self._fetched_at is None or now - self._fetched_at >= self._ttl or kid not in self._keys
        # Never more than one try per interval, whether the last one worked or not: random
        # kids must not flood identity, and an unreachable identity must not make every
        # request wait for a connection timeout.
        may_try = self._attempted_at is None or now - self._attempted_at >= self._min_interval
        return due and may_try

    def may_fetch(self, kid: str) -> bool:
        """Whether `get_key(kid)` would fetch the key set now (and so block on the network)."""
        return self._should_fetch(kid, self._monotonic())

    def get_key(self, kid: str) -> jwt.PyJWK | None:
        with self._lock:
            now = self._monotonic()
            if self._should_fetch(kid, now):
                self._refresh(now)
            if not self._keys:
                raise _unavailable()
            return self._keys.get(kid)

    def _refresh(self, now: float) -> None:
        self._attempted_at = now
        try:
            document = self._fetch(self._url)
        except Exception as error:
            if not self._keys:  # nothing cached to fall back on
                raise _unavailable() from error
            return  # keep serving the cached keys; identity may be briefly down
        self._keys, self._fetched_at = _parse_jwks(document), now


def _unavailable() -> TokenRejected:
    return _rejected(
        "keys_unavailable",
        "Hệ thống tạm thời không kiểm tra được phiên đăng nhập. Vui lòng thử lại sau.",
        503,
    )


VERIFIED_CACHE = 10_000  # tokens remembered as verified, least recently used dropped first


class TokenVerifier:
    def __init__(
        self,
        keys: JwksSource,
        *,
        issuer: str,
        audience: str,
        leeway: timedelta = timedelta(seconds=30),
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._keys, self._issuer, self._audience = keys, issuer, audience
        self._leeway, self._clock = leeway, clock
        self._verified: OrderedDict[str, Principal] = OrderedDict()

    def may_block(self, token: str) -> bool:
        """Whether verifying `token` may fetch keys over the network (else it is CPU only)."""
        if token in self._verified:
            return False
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.PyJWTError:
            return False
        return isinstance(kid, str) and self._keys.may_fetch(kid)

    def verify(self, token: str) -> Principal:
        """The token's principal. A token verified before is not verified again until it
        expires (a citizen's requests carry the same token for its 15 minutes): the cache
        holds what a signature check proved, keyed by the whole token."""
        known = self._verified.get(token)
        if known is not None and known.expires_at is not None and self._clock() < known.expires_at:
            self._verified.move_to_end(token)
            return known
        principal = self._verify(token)
        self._verified[token] = principal
        while len(self._verified) > VERIFIED_CACHE:
            self._verified.popitem(last=False)
        return principal

    def _verify(self, token: str) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.DecodeError as error:
            raise _rejected("malformed_token", "Mã truy cập không hợp lệ. " + RELOGIN) from error
        if header.get("typ") != ACCESS_TOKEN_TYPE or not isinstance(header.get("kid"), str):
            raise _rejected("malformed_token", "Mã truy cập không hợp lệ. " + RELOGIN)
        key = self._keys.get_key(header["kid"])
        if key is None:
            raise _rejected("unknown_key", "Mã truy cập không do hệ thống cấp. " + RELOGIN)
        claims = self._decode(token, key)
        try:
            role = Role(claims["role"])
            units = frozenset(str(u) for u in claims.get("units", []))
        except (ValueError, TypeError) as error:
            raise _rejected("bad_claims", "Mã truy cập không hợp lệ. " + RELOGIN) from error
        return Principal(
            subject=str(claims["sub"]),
            role=role,
            units=units,
            token_id=str(claims["jti"]),
            expires_at=_expiry(claims["exp"]),
            registry_stamp=claims["reg"] if isinstance(claims.get("reg"), str) else None,
            issued_at=datetime.fromtimestamp(claims["iat"], UTC)
            if isinstance(claims["iat"], int | float)
            else None,
        )

    def _decode(self, token: str, key: jwt.PyJWK) -> dict[str, Any]:
        # PyJWT checks exp against its own clock; we check it against ours (tests set the time).
        options = {
            "require": ["exp", "iat", "sub", "jti", "role"],
            "verify_exp": False,
            "verify_iat": False,
        }
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=[key.algorithm_name],
                audience=self._audience,
                issuer=self._issuer,
                options=options,  # type: ignore[arg-type]
            )
        except jwt.InvalidSignatureError as error:
            raise _rejected("bad_signature", "Chữ ký của mã truy cập không hợp lệ. " + RELOGIN) from error
        except jwt.InvalidAudienceError as error:
            raise _rejected(
                "wrong_audience", "Mã truy cập không dùng cho hệ thống này. " + RELOGIN
            ) from error
        except jwt.InvalidIssuerError as error:
            raise _rejected("wrong_issuer", "Mã truy cập không do hệ thống cấp. " + RELOGIN) from error
        except jwt.InvalidTokenError as error:
            raise _rejected("malformed_token", "Mã truy cập không hợp lệ. " + RELOGIN) from error
        if _expiry(claims["exp"]) + self._leeway <= self._clock():
            raise _rejected("expired", "Phiên đăng nhập đã hết hạn. " + RELOGIN)
        return claims
