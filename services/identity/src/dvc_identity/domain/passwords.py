"""Password policy and hashing.

Policy (NIST SP 800-63B-4 §3.1.1.2, written for citizens in Vietnamese below):

* at least 8 characters — enough because login also needs a 6-digit OTP to the phone
  (procedures.md §9), so the password is never the only factor — and at most 128;
* any characters, Vietnamese letters and spaces included; compared after NFC normalisation
  so the same password typed on two keyboards is the same password;
* not on the list of common passwords, not the account's ID number or phone number, not one
  character repeated;
* no "upper case + digit + symbol" rule: such rules push people to ``Abc@1234``, which is on
  every leaked list, and NIST advises against them.

Hashing is argon2id (argon2-cffi's RFC 9106 low-memory profile by default).
"""

from __future__ import annotations

import unicodedata

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from dvc_identity.data import common_passwords
from dvc_identity.domain.phone import normalise_phone
from dvc_identity.domain.refusal import Refusal

MIN_LENGTH = 8
MAX_LENGTH = 128  # bounds hashing work per request

TOO_SHORT = Refusal("password.too_short", f"Mật khẩu phải có ít nhất {MIN_LENGTH} ký tự.")
TOO_LONG = Refusal("password.too_long", f"Mật khẩu không được dài quá {MAX_LENGTH} ký tự.")
TOO_COMMON = Refusal(
    "password.too_common",
    "Mật khẩu này quá phổ biến và dễ bị đoán. Vui lòng chọn mật khẩu khác.",
)
CONTAINS_ID = Refusal(
    "password.contains_personal_data",
    "Mật khẩu không được chứa số định danh cá nhân hoặc số điện thoại của bạn.",
)
REPETITIVE = Refusal("password.repetitive", "Mật khẩu không được chỉ gồm một ký tự lặp lại nhiều lần.")


def normalise_password(password: str) -> str:
    return unicodedata.normalize("NFC", password)


def check_password(password: str, *, id_number: str | None = None, phone: str | None = None) -> list[Refusal]:
    """Every rule the password breaks (empty when acceptable), so the form can list them all."""
    pw = normalise_password(password)
    refusals: list[Refusal] = []
    if len(pw) < MIN_LENGTH:
        refusals.append(TOO_SHORT)
    if len(pw) > MAX_LENGTH:
        refusals.append(TOO_LONG)
    if pw.strip().casefold() in common_passwords():
        refusals.append(TOO_COMMON)
    personal = {id_number} if id_number else set()
    if phone:
        national = normalise_phone(phone)
        personal |= {national, national.removeprefix("0")}  # also typed without the 0
    if any(value and value in pw for value in personal):
        refusals.append(CONTAINS_ID)
    if pw and len(set(pw)) == 1:
        refusals.append(REPETITIVE)
    return refusals


class PasswordHashing:
    """argon2id hashing; pass a tuned ``PasswordHasher`` (tests use cheap parameters)."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self._hasher = hasher or PasswordHasher()

    def hash(self, password: str) -> str:
        return self._hasher.hash(normalise_password(password))

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, normalise_password(password))
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        """True when the hash was made with older parameters: rehash after a good login."""
        return self._hasher.check_needs_rehash(password_hash)
