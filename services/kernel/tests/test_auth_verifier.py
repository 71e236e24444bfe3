"""Every service verifies identity's access tokens locally against the JWKS."""

import base64
import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import ECAlgorithm, OKPAlgorithm

from dvc_kernel.auth import HttpJwks, Role, StaticJwks, TokenRejected, TokenVerifier

T0 = datetime(2025, 3, 3, 2, 0, tzinfo=UTC)
ISS, AUD = "https://identity.example", "dvc"
ED_KEY = Ed25519PrivateKey.generate()
EC_KEY = ec.generate_private_key(ec.SECP256R1())


def jwk(kid: str, key: Ed25519PrivateKey | ec.EllipticCurvePrivateKey) -> dict[str, Any]:
    if isinstance(key, Ed25519PrivateKey):
        public = OKPAlgorithm.to_jwk(key.public_key(), as_dict=True)
        return {**public, "kid": kid, "alg": "EdDSA", "use": "sig"}
    return {**ECAlgorithm.to_jwk(key.public_key(), as_dict=True), "kid": kid, "use": "sig"}


JWKS = {"keys": [jwk("ed-1", ED_KEY), jwk("ec-1", EC_KEY)]}


def token(
    *,
    kid: str = "ed-1",
    key: Any = ED_KEY,
    alg: str = "EdDSA",
    typ: str = "at+jwt",
    now: datetime = T0,
    **claims: Any,
) -> str:
    body = {
        "iss": ISS,
        "aud": AUD,
        "sub": "acc-1",
        "role": "officer",
        "units": ["u1"],
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(minutes=15)).timestamp()),
        "jti": "j1",
        **claims,
    }
    return jwt.encode(body, key, algorithm=alg, headers={"kid": kid, "typ": typ})


def verify(raw: str, now: datetime = T0, keys: Any = None) -> Any:
    source = keys or StaticJwks(JWKS)
    return TokenVerifier(source, issuer=ISS, audience=AUD, clock=lambda: now).verify(raw)


def rejection(raw: str, now: datetime = T0) -> str:
    with pytest.raises(TokenRejected) as caught:
        verify(raw, now)
    assert caught.value.status == 401
    return caught.value.code


def test_a_valid_token_gives_the_principal() -> None:
    principal = verify(token())
    assert principal.subject == "acc-1"
    assert principal.role is Role.OFFICER
    assert principal.units == frozenset({"u1"})
    assert principal.expires_at == T0 + timedelta(minutes=15)


def test_es256_keys_are_accepted_too() -> None:
    assert verify(token(kid="ec-1", key=EC_KEY, alg="ES256")).subject == "acc-1"


def test_a_token_from_an_unknown_key_is_refused() -> None:
    assert rejection(token(kid="nobody", key=Ed25519PrivateKey.generate())) == "auth.unknown_key"


def test_a_token_signed_by_another_key_under_a_known_kid_is_refused() -> None:
    assert rejection(token(key=Ed25519PrivateKey.generate())) == "auth.bad_signature"


def test_an_expired_token_is_refused() -> None:
    assert rejection(token(), now=T0 + timedelta(minutes=15, seconds=30)) == "auth.expired"
    assert verify(token(), now=T0 + timedelta(minutes=15, seconds=29)).subject == "acc-1"


@pytest.mark.parametrize("exp", [2**63, 10**20, 253402300800, 1e300, float("inf"), -(2**63), True, "soon"])
def test_a_signed_token_whose_exp_overflows_time_t_is_a_401(exp: Any) -> None:
    """A validly signed token with such an `exp` was a 500 (OverflowError, issue 14)."""
    assert rejection(token(exp=exp)) in ("auth.malformed_token", "auth.expired")


def test_a_token_for_another_audience_is_refused() -> None:
    assert rejection(token(aud="another-system")) == "auth.wrong_audience"


def test_a_token_from_another_issuer_is_refused() -> None:
    assert rejection(token(iss="https://evil.example")) == "auth.wrong_issuer"


def test_only_access_tokens_are_accepted() -> None:
    assert rejection(token(typ="JWT")) == "auth.malformed_token"


def test_an_unknown_role_is_refused() -> None:
    assert rejection(token(role="superuser")) == "auth.bad_claims"


def test_garbage_and_unsigned_tokens_are_refused() -> None:
    assert rejection("not.a.token") == "auth.malformed_token"
    unsigned = (
        ".".join(
            base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()
            for part in ({"alg": "none", "kid": "ed-1", "typ": "at+jwt"}, {"sub": "x"})
        )
        + "."
    )
    assert rejection(unsigned) == "auth.malformed_token"


def test_the_public_key_cannot_be_used_as_an_hmac_secret() -> None:
    # The classic algorithm-confusion attack: HS256 "signed" with the public key bytes.
    forged = jwt.encode(
        {"sub": "x", "role": "auditor"},
        "public-key-bytes-used-as-an-hmac-secret",
        algorithm="HS256",
        headers={"kid": "ed-1", "typ": "at+jwt"},
    )
    assert rejection(forged) in {"auth.malformed_token", "auth.bad_signature"}


def test_messages_are_vietnamese() -> None:
    with pytest.raises(TokenRejected) as caught:
        verify(token(), now=T0 + timedelta(hours=1))
    assert caught.value.message == "Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại."


class FakeIdentity:
    """Serves a JWKS that can change, counting fetches."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document, self.fetches, self.down = document, 0, False

    def fetch(self, url: str) -> Mapping[str, Any]:
        assert url == "http://identity/.well-known/jwks.json"
        self.fetches += 1
        if self.down:
            raise OSError("connection refused")
        return self.document


class Ticker:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def http_jwks(identity: FakeIdentity, ticker: Ticker) -> HttpJwks:
    return HttpJwks(
        "http://identity/.well-known/jwks.json",
        fetch=identity.fetch,
        ttl=timedelta(minutes=10),
        min_refresh_interval=timedelta(seconds=30),
        monotonic=ticker,
    )


def test_the_jwks_is_fetched_once_and_cached() -> None:
    identity, ticker = FakeIdentity({"keys": [jwk("ed-1", ED_KEY)]}), Ticker()
    keys = http_jwks(identity, ticker)
    for _ in range(3):
        verify(token(), keys=keys)
    assert identity.fetches == 1
    ticker.now = 600
    verify(token(), keys=keys)
    assert identity.fetches == 2


def test_an_unknown_kid_triggers_a_refetch_after_a_rotation() -> None:
    identity, ticker = FakeIdentity({"keys": [jwk("ed-1", ED_KEY)]}), Ticker()
    keys = http_jwks(identity, ticker)
    verify(token(), keys=keys)
    new_key = Ed25519PrivateKey.generate()
    identity.document = {"keys": [jwk("ed-2", new_key), jwk("ed-1", ED_KEY)]}
    ticker.now = 31
    assert verify(token(kid="ed-2", key=new_key), keys=keys).subject == "acc-1"
    assert identity.fetches == 2


def test_unknown_kids_cannot_flood_identity_with_refetches() -> None:
    identity, ticker = FakeIdentity({"keys": [jwk("ed-1", ED_KEY)]}), Ticker()
    keys = http_jwks(identity, ticker)
    verify(token(), keys=keys)
    for n in range(20):
        with pytest.raises(TokenRejected):
            verify(token(kid=f"random-{n}"), keys=keys)
    assert identity.fetches == 1


def test_cached_keys_keep_working_while_identity_is_down() -> None:
    identity, ticker = FakeIdentity({"keys": [jwk("ed-1", ED_KEY)]}), Ticker()
    keys = http_jwks(identity, ticker)
    verify(token(), keys=keys)
    identity.down, ticker.now = True, 601
    assert verify(token(), keys=keys).subject == "acc-1"


def test_without_any_keys_the_answer_is_service_unavailable() -> None:
    identity, ticker = FakeIdentity({}), Ticker()
    identity.down = True
    with pytest.raises(TokenRejected) as caught:
        verify(token(), keys=http_jwks(identity, ticker))
    assert caught.value.code == "auth.keys_unavailable"
    assert caught.value.status == 503


def test_an_unreachable_identity_is_asked_at_most_once_per_interval() -> None:
    identity, ticker = FakeIdentity({"keys": [jwk("ed-1", ED_KEY)]}), Ticker()
    keys = http_jwks(identity, ticker)
    identity.down = True
    for _ in range(5):
        with pytest.raises(TokenRejected) as caught:
            verify(token(), keys=keys)
        assert caught.value.code == "auth.keys_unavailable"
    assert identity.fetches == 1
    identity.down, ticker.now = False, 30
    assert verify(token(), keys=keys).subject == "acc-1"
    assert identity.fetches == 2
