"""Logging in (password, then OTP), refreshing tokens with rotation, logging out."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from dvc_kernel.auth.registry_stamp import registry_stamp
from dvc_kernel.meta import CommandMeta
from dvc_kernel.refusal import Kind

from ..domain.accounts import CitizenAccount, LoginAccount
from ..domain.id_number import parse_id_number
from ..domain.indexes import IndexKind
from ..domain.refresh_tokens import (
    REDEEM_REFUSALS,
    RedeemOutcome,
    hash_refresh_token,
    redeem,
    start_session,
)
from ..domain.refusal import Refusal
from ..domain.registry import DeclaredIdentity
from ..domain.sessions import LoginSession, RefreshTokenIndex
from ..domain.staff import StaffAccount
from ..domain.tokens import AccessToken
from ..domain.unknown_logins import UnknownLogin
from .base import IdentityBase, OtpSent
from .errors import refused

PURPOSE = "login"
BAD_CREDENTIALS = Refusal(
    "login.invalid_credentials", "Số định danh cá nhân hoặc mật khẩu không đúng. Vui lòng kiểm tra lại."
)
ACCOUNT_CLOSED = Refusal("login.account_closed", "Tài khoản đã bị thu hồi. Phiên đăng nhập đã kết thúc.")
UNKNOWN_REFRESH = Refusal("refresh.unknown", "Phiên đăng nhập không hợp lệ. Vui lòng đăng nhập lại.")


class AccountType(StrEnum):
    CITIZEN = "citizen"
    STAFF = "staff"


_INDEX = {AccountType.CITIZEN: IndexKind.CITIZEN_ID_NUMBER, AccountType.STAFF: IndexKind.STAFF_ID_NUMBER}


@dataclass(frozen=True)
class Tokens:
    access: AccessToken
    refresh_token: str
    refresh_expires_at: datetime
    account_id: UUID


class SessionCommands(IdentityBase):
    _dummy_hash: str | None = None

    def _burn_a_hash(self, password: str) -> None:
        """Spend the time a real check takes, so response times do not tell who has an account."""
        if self._dummy_hash is None:
            self._dummy_hash = self.tools.hashing.hash("không có tài khoản này")
        self.tools.hashing.verify(self._dummy_hash, password)

    def account(self, account_id: UUID) -> LoginAccount | None:
        return self.find(LoginAccount, account_id)

    def _login_account(self, id_number: str, account_type: AccountType) -> LoginAccount | None:
        index = self.indexed(_INDEX[account_type], id_number)
        account = self.account(index.account_id) if index is not None else None
        if isinstance(account, StaffAccount) and account.removed:
            return None
        return account

    def _unknown_login_failed(
        self, account_type: AccountType, number: str, password: str, now: datetime
    ) -> None:
        """No account: answered as a wrong password on an account is, lockout included."""
        guard_id = UnknownLogin.id_for(account_type.value, number)
        guard = self.find(UnknownLogin, guard_id) or UnknownLogin(id=guard_id)
        locked = guard.refusal_before_password(now)
        if locked is not None:
            raise refused(locked, Kind.TOO_MANY)
        self._burn_a_hash(password)
        guard.password_rejected(now)
        with contextlib.suppress(IntegrityError):  # a guess at the same instant: counted once
            self.save(guard)
        locked = guard.refusal_before_password(now)
        if locked is not None:
            raise refused(locked, Kind.TOO_MANY)

    def start_login(
        self, id_number: str, password: str, account_type: AccountType, meta: CommandMeta
    ) -> OtpSent:
        """Step 1: the password. Wrong ones count towards the lockout; a right one sends an OTP."""
        number = parse_id_number(id_number).value
        account = self._login_account(number, account_type)
        now = self.clock.now()
        if account is None:
            self._unknown_login_failed(account_type, number, password, now)
            raise refused(BAD_CREDENTIALS, Kind.UNAUTHORIZED)
        as_account = replace(meta, actor_id=str(account.id), actor_role=account.role).as_dict()
        locked = account.refusal_before_password(now)
        if locked is not None:
            raise refused(locked, Kind.TOO_MANY)
        if not self.tools.hashing.verify(account.password_hash, password):
            account.password_rejected(now, as_account)
            self.save(account)
            locked = account.refusal_before_password(now)
            raise refused(locked, Kind.TOO_MANY) if locked else refused(BAD_CREDENTIALS, Kind.UNAUTHORIZED)
        account.password_accepted()
        if self.tools.hashing.needs_rehash(account.password_hash):
            account.rehash(self.tools.hashing.hash(password))
        challenge, send_log, code = self.new_challenge(
            phone=account.phone, purpose=PURPOSE, subject=str(account.id)
        )
        self.save_throttled(account, challenge, send_log)
        return self.send_code(challenge, code)

    def complete_login(self, challenge_id: str, code: str, meta: CommandMeta) -> Tokens:
        """Step 2: the OTP. Opens a session: an access token and the first refresh token."""
        challenge = self.challenge(challenge_id, PURPOSE)
        settled = self.check_code(challenge, code)
        account = self.account(UUID(challenge.subject))
        if account is None or (isinstance(account, StaffAccount) and account.removed):
            self.save(challenge)
            raise refused(ACCOUNT_CLOSED, Kind.UNAUTHORIZED)
        now = self.clock.now()
        as_account = replace(meta, actor_id=str(account.id), actor_role=account.role).as_dict()
        account.logged_in(now, as_account)
        refresh_token, first = start_session(str(account.id), now=now)
        session = LoginSession.start(account.id, first, as_account)
        index = RefreshTokenIndex(id=RefreshTokenIndex.id_for(first.token_hash), session_id=session.id)
        self.save(challenge, account, session, index, *([settled] if settled else []))
        return Tokens(self._access_token(account), refresh_token, first.expires_at, account.id)

    def refresh(self, refresh_token: str, meta: CommandMeta) -> Tokens:
        """Spend a refresh token for a new pair; a spent one presented again ends the session."""
        session = self._session_of(refresh_token)
        token_hash = hash_refresh_token(refresh_token)
        record = session.token(token_hash)
        assert record is not None
        now = self.clock.now()
        redemption = redeem(record, now=now)
        if redemption.outcome is RedeemOutcome.REUSED:
            session.end(now, "reuse", meta.as_dict())
            self.save(session)
        if redemption.outcome is not RedeemOutcome.ROTATED:
            raise refused(REDEEM_REFUSALS[redemption.outcome], Kind.UNAUTHORIZED)
        account = self.account(session.account_id)
        if account is None or (isinstance(account, StaffAccount) and account.removed):
            session.end(now, "account_closed", meta.as_dict())
            self.save(session)
            raise refused(ACCOUNT_CLOSED, Kind.UNAUTHORIZED)
        assert redemption.successor is not None and redemption.token is not None
        session.rotate(redemption.presented, redemption.successor)
        index = RefreshTokenIndex(
            id=RefreshTokenIndex.id_for(redemption.successor.token_hash), session_id=session.id
        )
        self.save(session, index)
        return Tokens(
            self._access_token(account), redemption.token, redemption.successor.expires_at, account.id
        )

    def logout(self, refresh_token: str, meta: CommandMeta) -> bool:
        """End the session the token belongs to; False when there was none to end."""
        session = self._find_session(refresh_token)
        if session is None:
            return False
        ended = session.end(self.clock.now(), "logout", meta.as_dict())
        if ended:
            self.save(session)
        return ended

    def _find_session(self, refresh_token: str) -> LoginSession | None:
        index = self.find(RefreshTokenIndex, RefreshTokenIndex.id_for(hash_refresh_token(refresh_token)))
        return self.find(LoginSession, index.session_id) if index is not None else None

    def _session_of(self, refresh_token: str) -> LoginSession:
        session = self._find_session(refresh_token)
        if session is None:
            raise refused(UNKNOWN_REFRESH, Kind.UNAUTHORIZED)
        return session

    def _access_token(self, account: LoginAccount) -> AccessToken:
        return self.tools.issuer.issue(
            self.tools.keys.ring(),
            subject=str(account.id),
            role=account.role,
            units=account.units,
            now=self.clock.now(),
            registry_stamp=self._registry_stamp(account),
        )

    def _registry_stamp(self, account: LoginAccount) -> str | None:
        """A citizen whose own data match the registry now gets the stamp (ADR 0018)."""
        secret = self.tools.service_secret
        if secret is None or not isinstance(account, CitizenAccount):
            return None
        holder = DeclaredIdentity(account.id_number, account.full_name, account.date_of_birth, None)
        if not self.tools.registry.match(holder).matched:
            return None
        return registry_stamp(secret, account.id_number, account.full_name, account.date_of_birth)
