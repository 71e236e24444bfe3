"""Message templates (Vietnamese, full diacritics); the texts live in data/templates.yaml."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# A placeholder the template ends a sentence after: `{summary}.`
_PLACEHOLDER_THEN_STOP = re.compile(r"\{(\w+)\}\.")
_ENDS_A_SENTENCE = (".", "!", "?", "…")


def fill(template: str, params: Mapping[str, str]) -> str:
    """`template` with `params`; when a value (an officer's free text) already ends its sentence,
    the template's own full stop after it is dropped, so no stray ".." reaches the citizen."""

    def stop(match: re.Match[str]) -> str:
        value = str(params.get(match.group(1), ""))
        return match.group(0)[:-1] if value.rstrip().endswith(_ENDS_A_SENTENCE) else match.group(0)

    return _PLACEHOLDER_THEN_STOP.sub(stop, template).format_map(dict(params))


class UnknownTemplate(KeyError):
    pass


@dataclass(frozen=True)
class Email:
    subject: str
    body: str


@dataclass(frozen=True)
class Templates:
    sms: Mapping[str, str]
    email: Mapping[str, Email] = field(default_factory=dict)
    email_footer: str = ""
    labels: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_data(cls, raw: Mapping[str, Any]) -> Templates:
        entries: Mapping[str, Mapping[str, Any]] = raw["templates"]
        return cls(
            sms={key: entry["sms"] for key, entry in entries.items()},
            email={
                key: Email(subject=entry["email"]["subject"], body=entry["email"]["body"])
                for key, entry in entries.items()
                if "email" in entry
            },
            email_footer=raw.get("email_footer", ""),
            labels=raw.get("labels", {}),
        )

    def render_sms(self, key: str, params: Mapping[str, str]) -> str:
        try:
            template = self.sms[key]
        except KeyError:
            raise UnknownTemplate(key) from None
        # NFC: one code point per Vietnamese letter, whatever form a name was stored in.
        return unicodedata.normalize("NFC", fill(template, params))

    def render_email(self, key: str, params: Mapping[str, str]) -> Email:
        try:
            template = self.email[key]
        except KeyError:
            raise UnknownTemplate(key) from None
        body = fill(template.body, params).rstrip("\n") + "\n" + self.email_footer
        subject = unicodedata.normalize("NFC", fill(template.subject, params))
        return Email(subject=subject, body=unicodedata.normalize("NFC", body))

    def label(self, group: str, key: str) -> str:
        return str(self.labels.get(group, {}).get(key, key))
