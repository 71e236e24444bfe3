"""HTTP: log in (password, then OTP), refresh tokens, log out, and the public signing keys."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from dvc_kernel.errors import problems

from ..application import IdentityApplication
from ..commands.sessions import AccountType, Tokens
from .common import CodeIn, OtpOut, anonymous_meta


class LoginIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id_number: str = Field(min_length=9, max_length=20, description="12-digit personal ID number.")
    password: str = Field(min_length=1, max_length=256)
    account_type: AccountType = Field(AccountType.CITIZEN, description="`staff` for police staff.")


class ChallengeOut(OtpOut):
    challenge_id: str = Field(description="Present it with the code to `/v1/sessions/{challenge}/verify`.")


class RefreshIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    refresh_token: str = Field(min_length=16, max_length=256)


class TokensOut(BaseModel):
    access_token: str
    token_type: str = "Bearer"
    expires_at: datetime = Field(description="When the access token expires (UTC, 15 minutes).")
    refresh_token: str = Field(description="Single use: each refresh returns a new one.")
    refresh_expires_at: datetime
    account_id: str

    @classmethod
    def of(cls, tokens: Tokens) -> TokensOut:
        return cls(
            access_token=tokens.access.token,
            expires_at=tokens.access.expires_at,
            refresh_token=tokens.refresh_token,
            refresh_expires_at=tokens.refresh_expires_at,
            account_id=str(tokens.account_id),
        )


def router(app: IdentityApplication) -> APIRouter:
    api = APIRouter(tags=["sessions"])

    @api.post(
        "/v1/sessions", status_code=201, response_model=ChallengeOut, summary="Log in, step 1: password"
    )
    def start(body: LoginIn, request: Request) -> ChallengeOut:
        sent = app.start_login(body.id_number, body.password, body.account_type, anonymous_meta(request))
        return ChallengeOut(challenge_id=sent.challenge_id, **OtpOut.fields(sent))

    @api.post("/v1/sessions/logout", status_code=204, summary="End the session of this refresh token")
    def logout(body: RefreshIn, request: Request) -> Response:
        app.logout(body.refresh_token, anonymous_meta(request))
        return Response(status_code=204)

    @api.post(
        "/v1/sessions/{challenge_id}/verify",
        response_model=TokensOut,
        summary="Log in, step 2: the OTP; returns the tokens",
    )
    def verify(challenge_id: str, body: CodeIn, request: Request) -> TokensOut:
        tokens = app.complete_login(challenge_id, body.code, anonymous_meta(request))
        return TokensOut.of(tokens)

    @api.post(
        "/v1/tokens/refresh",
        response_model=TokensOut,
        summary="New tokens for a refresh token",
        responses=problems(401),
    )
    def refresh(body: RefreshIn, request: Request) -> TokensOut:
        tokens = app.refresh(body.refresh_token, anonymous_meta(request))
        return TokensOut.of(tokens)

    @api.get("/.well-known/jwks.json", tags=["keys"], summary="Public keys that verify access tokens")
    async def jwks(response: Response) -> dict[str, Any]:
        response.headers["Cache-Control"] = "public, max-age=300"
        return app.tools.keys.ring().jwks()

    return api
