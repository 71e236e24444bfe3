"""Access tokens are signed by the key ring; rotation keeps issued tokens valid until they expire."""

from datetime import UTC, datetime, timedelta

import jwt
import pytest

from dvc_identity.domain.tokens import ACCESS_TOKEN_TTL, KeyRing, TokenIssuer
from dvc_kernel.auth import Role, StaticJwks, TokenRejected, TokenVerifier

T0 = datetime(2025, 3, 3, 2, 0, tzinfo=UTC)
ISSUER = TokenIssuer(issuer="https://dichvucong.bocongan.example/identity", audience="dvc")


def verifier(ring: KeyRing, now: datetime) -> TokenVerifier:
    return TokenVerifier(StaticJwks(ring.jwks()), issuer=ISSUER.issuer, audience="dvc", clock=lambda: now)


def test_an_access_token_carries_the_agreed_claims() -> None:
    ring = KeyRing.generate(T0)
    issued = ISSUER.issue(ring, subject="acc-1", role="officer", units=["u2", "u1"], now=T0)
    header = jwt.get_unverified_header(issued.token)
    claims = jwt.decode(issued.token, options={"verify_signature": False})
    assert header == {"alg": "EdDSA", "kid": ring.active(T0).kid, "typ": "at+jwt"}
    assert claims["iss"] == ISSUER.issuer and claims["aud"] == "dvc"
    assert claims["sub"] == "acc-1" and claims["role"] == "officer"
    assert claims["units"] == ["u1", "u2"]
    assert claims["exp"] - claims["iat"] == 15 * 60
    assert claims["jti"] == issued.jti
    assert issued.expires_at == T0 + ACCESS_TOKEN_TTL


def test_every_service_verifies_it_from_the_jwks() -> None:
    ring = KeyRing.generate(T0)
    issued = ISSUER.issue(ring, subject="acc-1", role="supervisor", units=["u1"], now=T0)
    principal = verifier(ring, T0 + timedelta(minutes=14)).verify(issued.token)
    assert principal.subject == "acc-1"
    assert principal.role is Role.SUPERVISOR
    assert principal.units == {"u1"}
    assert principal.token_id == issued.jti


def test_the_jwks_holds_public_keys_only() -> None:
    (jwk,) = KeyRing.generate(T0).jwks()["keys"]
    assert set(jwk) == {"kty", "crv", "x", "kid", "alg", "use"}
    assert jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519"


def test_rotation_signs_with_the_new_key_and_keeps_old_tokens_valid_until_expiry() -> None:
    ring = KeyRing.generate(T0)
    old = ISSUER.issue(ring, subject="acc-1", role="citizen", now=T0 + timedelta(minutes=10))
    rotated_at = T0 + timedelta(minutes=10)
    ring = ring.rotate(rotated_at)
    new = ISSUER.issue(ring, subject="acc-1", role="citizen", now=rotated_at)
    assert jwt.get_unverified_header(new.token)["kid"] != jwt.get_unverified_header(old.token)["kid"]

    # Pruning right after the rotation keeps the old key: its tokens still live.
    soon = rotated_at + timedelta(minutes=14)
    ring = ring.prune(soon)
    assert len(ring.jwks()["keys"]) == 2
    assert verifier(ring, soon).verify(old.token).subject == "acc-1"
    assert verifier(ring, soon).verify(new.token).subject == "acc-1"

    # Once every token of the old key has expired, pruning drops it.
    later = rotated_at + ACCESS_TOKEN_TTL + timedelta(minutes=1)
    ring = ring.prune(later)
    assert [k["kid"] for k in ring.jwks()["keys"]] == [ring.active(later).kid]


def test_a_key_can_be_published_before_it_signs() -> None:
    ring = KeyRing.generate(T0).rotate(T0, publish_ahead=timedelta(minutes=30))
    assert len(ring.jwks()["keys"]) == 2
    assert ring.active(T0) == ring.keys[0]
    assert ring.active(T0 + timedelta(minutes=30)) == ring.keys[1]
    assert ring.prune(T0 + timedelta(minutes=20)).keys == ring.keys


def test_a_token_signed_by_a_key_not_in_the_ring_is_refused() -> None:
    stranger = ISSUER.issue(KeyRing.generate(T0), subject="acc-1", role="operator", now=T0)
    with pytest.raises(TokenRejected) as caught:
        verifier(KeyRing.generate(T0), T0).verify(stranger.token)
    assert caught.value.code == "auth.unknown_key"


def test_the_ring_survives_a_restart_through_its_document() -> None:
    ring = KeyRing.generate(T0).rotate(T0 + timedelta(days=30))
    issued = ISSUER.issue(ring, subject="acc-1", role="citizen", now=T0)
    restored = KeyRing.from_document(ring.to_document(password=b"pw"), password=b"pw")
    assert restored.jwks() == ring.jwks()
    assert verifier(restored, T0).verify(issued.token).subject == "acc-1"
    again = ISSUER.issue(restored, subject="acc-1", role="citizen", now=T0)
    assert verifier(ring, T0).verify(again.token).subject == "acc-1"
