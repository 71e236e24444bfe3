"""Login sessions: one family of refresh tokens, rotated on every use (rules in ``refresh_tokens``).

Only SHA-256 hashes of refresh tokens are stored. A token is found through ``RefreshTokenIndex``
(id derived from the hash); revoking the session revokes every token of the family at once.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from dvc_identity.domain.ids import derived_id
from dvc_identity.domain.refresh_tokens import RefreshToken
from dvc_kernel.event_meta import EventMeta


class LoginSession(Aggregate):
    class Ended(Aggregate.Event):
        ended_at: datetime
        reason: str  # "logout", "reuse", "account_closed"
        meta: EventMeta
        account_id: UUID | None  # published so every service refuses its access tokens; None before issue 15

    @staticmethod
    def id_for(family_id: str) -> UUID:
        return derived_id("login-session", family_id)

    @classmethod
    def start(cls, account_id: UUID, first: RefreshToken, meta: EventMeta) -> LoginSession:
        return cls(
            id=cls.id_for(first.family_id),
            account_id=account_id,
            family_id=first.family_id,
            token_hash=first.token_hash,
            issued_at=first.issued_at,
            expires_at=first.expires_at,
            session_expires_at=first.session_expires_at,
            meta=meta,
        )

    @event("Started")  # the event's fields are the parameters
    def __init__(
        self,
        id: UUID,
        account_id: UUID,
        family_id: str,
        token_hash: str,
        issued_at: datetime,
        expires_at: datetime,
        session_expires_at: datetime,
        meta: EventMeta,
    ) -> None:
        self.account_id = account_id
        self.family_id = family_id
        self.session_expires_at = session_expires_at
        self.tokens: dict[str, dict[str, datetime | None]] = {}
        self.ended_at: datetime | None = None
        self._add(token_hash, issued_at, expires_at)

    def token(self, token_hash: str) -> RefreshToken | None:
        """The stored token as the pure rules see it (revoked when the session ended)."""
        found = self.tokens.get(token_hash)
        if found is None:
            return None
        issued_at, expires_at = found["issued_at"], found["expires_at"]
        assert issued_at is not None and expires_at is not None
        return RefreshToken(
            token_hash=token_hash,
            family_id=self.family_id,
            subject=str(self.account_id),
            issued_at=issued_at,
            expires_at=expires_at,
            session_expires_at=self.session_expires_at,
            spent_at=found["spent_at"],
            revoked_at=self.ended_at,
        )

    def rotate(self, spent: RefreshToken, successor: RefreshToken) -> None:
        assert spent.spent_at is not None
        self._rotated(
            spent_hash=spent.token_hash,
            spent_at=spent.spent_at,
            token_hash=successor.token_hash,
            issued_at=successor.issued_at,
            expires_at=successor.expires_at,
        )

    def end(self, now: datetime, reason: str, meta: EventMeta) -> bool:
        if self.ended_at is not None:
            return False
        self._ended(ended_at=now, reason=reason, meta=meta, account_id=self.account_id)
        return True

    def _add(self, token_hash: str, issued_at: datetime, expires_at: datetime) -> None:
        self.tokens[token_hash] = {"issued_at": issued_at, "expires_at": expires_at, "spent_at": None}

    @event("Rotated")
    def _rotated(
        self, spent_hash: str, spent_at: datetime, token_hash: str, issued_at: datetime, expires_at: datetime
    ) -> None:
        self.tokens[spent_hash]["spent_at"] = spent_at
        self._add(token_hash, issued_at, expires_at)

    @event(Ended)
    def _ended(
        self, ended_at: datetime, reason: str, meta: EventMeta, account_id: UUID | None = None
    ) -> None:
        self.ended_at = ended_at


class RefreshTokenIndex(Aggregate):
    """Finds a session from the hash of one of its refresh tokens."""

    @staticmethod
    def id_for(token_hash: str) -> UUID:
        return derived_id("refresh-token", token_hash)

    @event("Indexed")
    def __init__(self, id: UUID, session_id: UUID) -> None:
        self.session_id = session_id
