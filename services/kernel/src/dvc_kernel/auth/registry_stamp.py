"""The registry stamp: identity's word, inside an access token, that the account holder's own
data matched the national population registry when the token was issued (ADR 0018).

A citizen usually files for themselves. Identity checked their ID number, name and birth date
against the registry at registration and checks them again each time it issues a token (every
15 minutes at most); the token then carries `reg`, an HMAC of those data under the secret the
services share. Intake computes the same HMAC over the applicant a filing declares: equal means
the applicant is the verified holder and the registry need not be asked again. Anything else
(another person, a typo, a stale token) is asked as before. The stamp reveals nothing about the
data without the secret, and a token can only ever stamp its own holder.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import unicodedata
from datetime import date

_SPACES = re.compile(r"\s+")
_PURPOSE = b"dvc registry stamp v1"


def normalise_name(name: str) -> str:
    """Compare names ignoring case and spacing, never diacritics ("Lê" is not "Le").

    NFC first, because the same Vietnamese letter may arrive composed or decomposed
    depending on the keyboard (Unikey, macOS, mobile).
    """
    return _SPACES.sub(" ", unicodedata.normalize("NFC", name)).strip().casefold()


def registry_stamp(secret: str, id_number: str, full_name: str, date_of_birth: date) -> str:
    message = "\x1f".join(("".join(id_number.split()), normalise_name(full_name), date_of_birth.isoformat()))
    digest = hmac.new(secret.encode() + _PURPOSE, message.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()


def stamp_matches(
    secret: str, stamp: str | None, id_number: str, full_name: str, date_of_birth: date
) -> bool:
    if not stamp:
        return False
    return hmac.compare_digest(stamp, registry_stamp(secret, id_number, full_name, date_of_birth))
