"""Message templates (Vietnamese, full diacritics); the texts live in data/templates.yaml."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


class UnknownTemplate(KeyError):
    pass


@dataclass(frozen=True)
class Templates:
    sms: Mapping[str, str]

    def render_sms(self, key: str, params: Mapping[str, str]) -> str:
        try:
            template = self.sms[key]
        except KeyError:
            raise UnknownTemplate(key) from None
        return template.format_map(dict(params))
