"""The organisation tax code (mã số thuế doanh nghiệp).

Ten digits ``N1..N10`` where ``N10`` is a check digit, optionally followed by ``-NNN`` for a
dependent unit (branch). The check digit is ``10 - (31·N1 + 29·N2 + 23·N3 + 19·N4 + 17·N5 +
13·N6 + 7·N7 + 5·N8 + 3·N9) mod 11``; a remainder of 10 is never issued. The weights are the tax
authority's; they reproduce the check digits of published codes (e.g. 0100109106, 0300588569,
0101248141), which the tests use. Whether a code is actually registered is not known here:
identity has no replica of the national business registry.
"""

from __future__ import annotations

import re

from dvc_identity.domain.refusal import Refusal, RefusedError

WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
_LAYOUT = re.compile(r"(\d{10})(?:-(\d{3}))?")

BAD_LAYOUT = Refusal(
    "organisation.bad_tax_code",
    "Mã số thuế phải gồm 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số đối với đơn vị phụ thuộc.",
)
BAD_CHECK = Refusal(
    "organisation.tax_code_check",
    "Mã số thuế không hợp lệ (chữ số kiểm tra không đúng). Vui lòng kiểm tra lại.",
)


def check_digit(first_nine: str) -> int | None:
    """The tenth digit for these nine, or None when no valid code starts with them."""
    value = 10 - sum(w * int(d) for w, d in zip(WEIGHTS, first_nine, strict=True)) % 11
    return value if value < 10 else None


def check_tax_code(raw: str) -> str:
    """The code in its canonical form (spaces removed); refuses a malformed one."""
    code = "".join(raw.split())
    match = _LAYOUT.fullmatch(code)
    if match is None:
        raise RefusedError(BAD_LAYOUT)
    main = match.group(1)
    if check_digit(main[:9]) != int(main[9]) or match.group(2) == "000":
        raise RefusedError(BAD_CHECK)
    return code
