"""The papers a dossier must contain, and which of them are still missing.

The catalog names each document and, when it is an official form, its form code (`CT01`);
other papers have no code, so intake gives them one derived from the name (see
`document_code`) that stays the same across versions as long as the name does. Processing's
supplement requests and the citizen's uploads use these codes.

A required document that is the procedure's own online form is satisfied by filling that form:
the e-form is the tờ khai, and asking for a scan of the same form would be asking twice.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_NOT_CODE = re.compile(r"[^a-z0-9]+")


def document_code(name: str, form_code: str | None) -> str:
    """`CT01` for a form; otherwise the name without diacritics, e.g.
    "Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp" -> `giay-to-tai-lieu-chung-minh-cho-o-hop-phap`."""
    if form_code:
        return form_code
    plain = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).lower()
    return _NOT_CODE.sub("-", plain).strip("-")


@dataclass(frozen=True)
class DocumentRule:
    code: str
    name: str
    required: bool
    condition: str | None = None
    filled_online: bool = False  # the procedure's own form, filled on the portal


@dataclass(frozen=True)
class DocumentProblem:
    document_code: str
    name: str
    problem: str  # missing | unknown
    message: str

    def as_dict(self) -> dict[str, str]:
        return {
            "document_code": self.document_code,
            "name": self.name,
            "problem": self.problem,
            "message": self.message,
        }


def find(rules: Sequence[DocumentRule], code: str) -> DocumentRule | None:
    return next((rule for rule in rules if rule.code == code), None)


def unknown_document(code: str) -> DocumentProblem:
    return DocumentProblem(code, code, "unknown", f"Thủ tục này không có giấy tờ mã «{code}».")


def document_problems(rules: Sequence[DocumentRule], attached_codes: Iterable[str]) -> list[DocumentProblem]:
    """Every required paper not attached, then every attachment the procedure does not ask for."""
    attached = set(attached_codes)
    problems = [
        DocumentProblem(rule.code, rule.name, "missing", f"Chưa đính kèm «{rule.name}».")
        for rule in rules
        if rule.required and not rule.filled_online and rule.code not in attached
    ]
    known = {rule.code for rule in rules}
    problems.extend(unknown_document(code) for code in sorted(attached - known))
    return problems
