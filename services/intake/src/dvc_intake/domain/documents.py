"""The papers a dossier must contain, and which of them are still missing.

The catalog gives each document a short stable code (`cho-o-hop-phap`, or the form code such
as `CT01` for an official form). Processing's supplement requests and the citizen's uploads
use these codes.

A required document that is the procedure's own online form is satisfied by filling that form:
the e-form is the tờ khai, and asking for a scan of the same form would be asking twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


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
