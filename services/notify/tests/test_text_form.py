"""Texts go out composed (NFC), whatever form a name arrived in (issue 14)."""

from __future__ import annotations

import string
import unicodedata

from dvc_notify.application import load_templates

TEMPLATES = load_templates()


def test_an_sms_and_an_email_are_composed_even_from_a_decomposed_name() -> None:
    key = "dossier_received"
    fields = {name for _, name, _, _ in string.Formatter().parse(TEMPLATES.sms[key]) if name}
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Ánh Hồng")
    params = {name: decomposed for name in fields}
    sms = TEMPLATES.render_sms(key, params)
    assert unicodedata.is_normalized("NFC", sms)
    email = TEMPLATES.render_email(key, {**params, **{n: decomposed for n in _email_fields(key)}})
    assert unicodedata.is_normalized("NFC", email.subject) and unicodedata.is_normalized("NFC", email.body)


def _email_fields(key: str) -> set[str]:
    template = TEMPLATES.email[key]
    return {
        name
        for text in (template.subject, template.body)
        for _, name, _, _ in string.Formatter().parse(text)
        if name
    }
