"""No procedure of the catalog may be unfileable: a complete dossier for each one, through the
HTTP API with the catalog's own data files, is accepted (201) — or, for procedures the law keeps
off-line, refused for that reason only.

A complete dossier is made from what the catalog publishes and nothing else: every required
field of the form with a value its rules accept, every required paper attached under the code
the catalog gives it. A code too long for the upload API, a form rule no value can satisfy or a
paper the filing check does not know would each fail here, naming the procedure."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from dvc_intake.domain.form import FieldRule, FormRules
from dvc_intake.projections.procedure_rules import rules_of
from dvc_testing import factories
from dvc_testing.tokens import TestTokens

from .conftest import HOA, HOA_WARD, NOW, PDF, citizen, with_key

REPLICA = factories.catalog_replica()
IN_FORCE = sorted((code, REPLICA.in_force(code, NOW.date())) for code in REPLICA.procedures)

# A value for each text pattern the catalog's forms use (a new pattern fails the test until it
# gets one here, which is the point: someone must be able to fill it).
_BY_PATTERN = {
    r"^\d{12}$": HOA["id_number"],
    r"^(\d{9}|\d{12})$": HOA["id_number"],
    r"^0\d{9}$": HOA["phone"],
    r"^(0\d{9}|\+\d{8,15})$": HOA["phone"],
    r"^\d{5}$": HOA_WARD,
    r"^[A-Z0-9]+$": "C1234567",
    r"^[A-Za-z0-9]+$": "C1234567",
    r"^[A-Z]\d{7,8}$": "C1234567",
    r"^[A-Z]{3}$": "VNM",
    r"^[A-Z][A-Z \-]*$": "NGUYEN THI HOA",
    r"^[^@\s]+@[^@\s]+\.[^@\s]+$": "hoa@example.vn",
    r'^[^0-9!@#$%^&*()_+=\[\]{};:"\\|<>/?~]+$': HOA["full_name"],
}
_BY_NAME = {"ho_ten": HOA["full_name"], "ngay_sinh": HOA["date_of_birth"], "so_dinh_danh": HOA["id_number"]}


def _value(rule: FieldRule) -> Any:
    if rule.pattern is not None:
        return _BY_PATTERN[rule.pattern]
    if rule.name in _BY_NAME:
        return _BY_NAME[rule.name]
    if rule.type == "enum":
        return rule.options[0].value
    if rule.type == "boolean":
        return True
    if rule.type == "integer":
        return rule.minimum if rule.minimum is not None else 1
    if rule.type == "date":
        return (rule.min_date or NOW.date()).isoformat()
    text = "Đề nghị giải quyết theo quy định"
    return text[: rule.max_length] if rule.max_length else text


def _filled(form: FormRules | None) -> dict[str, Any]:
    return {} if form is None else {f.name: _value(f) for f in form.fields if f.required}


def test_the_catalog_has_procedures_to_check() -> None:
    assert len(IN_FORCE) >= 29


@pytest.mark.parametrize(("code", "version"), IN_FORCE, ids=[code for code, _ in IN_FORCE])
def test_a_complete_dossier_is_accepted(
    http: TestClient, tokens: TestTokens, code: str, version: Any
) -> None:
    rules = rules_of(version)
    headers = citizen(tokens)
    attachments = []
    for document in rules.documents:
        assert len(document.code) <= 32, f"{code}: document code {document.code!r} is not short"
        if document.required and not document.filled_online:
            upload = http.post(
                "/v1/files", files={"file": ("giay-to.pdf", PDF, "application/pdf")}, headers=headers
            )
            assert upload.status_code == 201, upload.text
            attachments.append({"sha256": upload.json()["sha256"], "document_code": document.code})
    # Level 3: the result is collected at the office (Decree 43/2011); level 4: any allowed way.
    mode = "pickup" if rules.level == 3 else rules.delivery_modes[0]
    body = {
        "procedure_code": code,
        "applicant": dict(HOA),
        "delivery_mode": mode,
        "ward_code": HOA_WARD,
        "form_data": _filled(rules.form),
        "attachments": attachments,
    }
    answer = http.post("/v1/dossiers", json=body, headers=with_key(headers, f"every-{code}"))
    assert answer.status_code == 201, f"{code} v{rules.version}: {answer.text}"
    filed = answer.json()
    assert filed["procedure_version"] == rules.version
    assert sorted(a["document_code"] for a in filed["attachments"]) == sorted(
        a["document_code"] for a in attachments
    )
