"""Unit codes a staff account is scoped to, as the catalog names them.

* ``CAT-NN``: a province police (NN: the province code since 01/07/2025, 2 digits);
* ``CAX-NNNNN``: a commune police (NNNNN: the commune/ward code, 5 digits);
* a Ministry department: one capital letter and two digits (``C06``, ``A08``).

The format is checked here; whether a code exists is a question for the caller (``exists``),
because the list of units belongs to the catalog.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from dvc_identity.domain.refusal import Refusal, RefusedError

UNIT_CODE = re.compile(r"CAT-\d{2}|CAX-\d{5}|[A-Z]\d{2}")
MAX_UNITS = 50  # a transfer list longer than this is a mistake, not a posting

NO_UNITS = Refusal("staff.no_units", "Cán bộ phải được phân công ít nhất một đơn vị.")
TOO_MANY_UNITS = Refusal("staff.too_many_units", f"Không được phân công quá {MAX_UNITS} đơn vị.")


def check_unit_codes(codes: Iterable[str], exists: Callable[[str], bool] | None = None) -> list[str]:
    """The codes, trimmed, upper-cased, de-duplicated and sorted; refuses a bad or unknown one."""
    cleaned = sorted({code.strip().upper() for code in codes})
    if not cleaned:
        raise RefusedError(NO_UNITS)
    if len(cleaned) > MAX_UNITS:
        raise RefusedError(TOO_MANY_UNITS)
    for code in cleaned:
        if not UNIT_CODE.fullmatch(code):
            raise RefusedError(
                Refusal(
                    "staff.bad_unit_code",
                    f"Mã đơn vị “{code}” không đúng định dạng (ví dụ: CAT-01, CAX-00070, C06).",
                )
            )
        if exists is not None and not exists(code):
            raise RefusedError(Refusal("staff.unknown_unit", f"Không có đơn vị mang mã “{code}”."))
    return cleaned
