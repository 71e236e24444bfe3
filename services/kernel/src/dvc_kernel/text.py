"""Text as people type it, made safe and comparable at the edge (issue 14).

- Names are Unicode NFC: "Nguyễn" typed on a phone may arrive decomposed (base letters and
  combining marks), which compares unequal to the registry's spelling, counts twice the SMS
  characters, and showed as broken glyphs on basic handsets.
- E-mail addresses are checked by a library (syntax only, no DNS), never with a CR or LF:
  `a@x.vn\r\nBcc: …` would inject headers into the message notify composes.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated

from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, StringConstraints


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def email_address(text: str) -> str:
    if "\r" in text or "\n" in text:
        raise ValueError("Địa chỉ thư điện tử không được chứa ký tự xuống dòng.")
    try:
        checked = validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        raise ValueError("Địa chỉ thư điện tử không hợp lệ.") from None
    return str(checked.normalized)


PersonName = Annotated[
    str, StringConstraints(min_length=1, max_length=200), AfterValidator(nfc), StringConstraints(min_length=1)
]
EmailAddress = Annotated[str, StringConstraints(max_length=254), AfterValidator(email_address)]
