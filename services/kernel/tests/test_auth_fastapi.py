"""FastAPI dependencies: 401 without a valid token, 403 for the wrong role, JSON code+message."""

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from jwt.algorithms import OKPAlgorithm

from dvc_kernel.auth import Principal, Role, StaticJwks, TokenVerifier
from dvc_kernel.auth.fastapi import CurrentPrincipal, install_auth, require_roles

KEY = Ed25519PrivateKey.generate()
JWKS = {"keys": [{**OKPAlgorithm.to_jwk(KEY.public_key(), as_dict=True), "kid": "k1", "alg": "EdDSA"}]}
NOW = datetime.now(UTC)


def bearer(role: str = "officer", exp: datetime = NOW + timedelta(minutes=15)) -> dict[str, str]:
    claims: dict[str, Any] = {
        "iss": "iss",
        "aud": "dvc",
        "sub": "acc-1",
        "role": role,
        "units": ["u1"],
        "iat": int(NOW.timestamp()),
        "exp": int(exp.timestamp()),
        "jti": "j",
    }
    raw = jwt.encode(claims, KEY, algorithm="EdDSA", headers={"kid": "k1", "typ": "at+jwt"})
    return {"Authorization": f"Bearer {raw}"}


app = FastAPI()
install_auth(app, TokenVerifier(StaticJwks(JWKS), issuer="iss", audience="dvc"))


@app.get("/me")
def me(principal: CurrentPrincipal) -> dict[str, Any]:
    return {"subject": principal.subject, "role": principal.role, "units": sorted(principal.units)}


@app.post("/decisions")
def decide(
    principal: Annotated[Principal, Depends(require_roles(Role.OFFICER, Role.SUPERVISOR))],
) -> dict[str, str]:
    return {"by": principal.subject}


client = TestClient(app)


def test_a_valid_token_reaches_the_route() -> None:
    response = client.get("/me", headers=bearer())
    assert response.status_code == 200
    assert response.json() == {"subject": "acc-1", "role": "officer", "units": ["u1"]}


def test_no_token_is_401_with_code_and_vietnamese_message() -> None:
    response = client.get("/me")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "https://dichvucong.bocongan.gov.vn/problems/auth.missing_token",
        "title": "Chưa đăng nhập",
        "status": 401,
        "detail": "Vui lòng đăng nhập để sử dụng chức năng này.",
        "code": "auth.missing_token",
        "message": "Vui lòng đăng nhập để sử dụng chức năng này.",
    }
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_token_is_401() -> None:
    response = client.get("/me", headers=bearer(exp=NOW - timedelta(minutes=5)))
    assert response.status_code == 401
    assert response.json()["code"] == "auth.expired"


def test_a_malformed_header_is_401() -> None:
    assert client.get("/me", headers={"Authorization": "Bearer nonsense"}).json()["code"] == (
        "auth.malformed_token"
    )
    assert client.get("/me", headers={"Authorization": "Basic YTpi"}).status_code == 401


def test_the_wrong_role_is_403() -> None:
    response = client.post("/decisions", headers=bearer(role="auditor"))
    assert response.status_code == 403
    body = response.json()
    assert (body["status"], body["code"]) == (403, "auth.forbidden")
    assert body["detail"] == body["message"] == "Bạn không có quyền thực hiện chức năng này."


def test_an_allowed_role_passes() -> None:
    assert client.post("/decisions", headers=bearer(role="supervisor")).json() == {"by": "acc-1"}
