"""The one error a broken data file produces: it names the file and the field."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError


class CatalogDataError(ValueError):
    def __init__(self, path: Path, field: str, message: str) -> None:
        super().__init__(f"{path}: field '{field}': {message}")
        self.path = path
        self.field = field
        self.message = message

    @classmethod
    def from_validation(cls, path: Path, error: ValidationError, prefix: str = "") -> CatalogDataError:
        """Keep every problem pydantic found, but lead with the first one's field."""
        problems = error.errors(include_url=False)
        fields = [_dotted(prefix, p["loc"]) for p in problems]
        message = problems[0]["msg"]
        others = [f"{f}: {p['msg']}" for f, p in zip(fields[1:], problems[1:], strict=True)]
        if others:
            message += " (also " + "; ".join(others) + ")"
        return cls(path, fields[0], message)


def _dotted(prefix: str, loc: tuple[int | str, ...]) -> str:
    parts = [str(part) for part in loc]
    joined = ".".join(parts) or "(file)"
    return f"{prefix}.{joined}" if prefix and parts else (prefix or joined)
