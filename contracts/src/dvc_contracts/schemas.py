"""Generated JSON Schemas of the public events, and the compatibility rule they must keep.

The committed files under `contracts/schemas/` are what consumers rely on. A change may add
optional fields; removing a field, changing its type or making a field required needs a new
major version of the event (a new `schema_version` and an upcaster).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .envelope import Envelope
from .registry import EVENT_TYPES

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schemas"


def generated() -> dict[str, dict[str, Any]]:
    """File name -> JSON Schema, for the envelope and every event payload."""
    out: dict[str, dict[str, Any]] = {"Envelope.json": Envelope.model_json_schema()}
    for name, cls in sorted(EVENT_TYPES.items()):
        schema = cls.model_json_schema()
        schema["x-topic"] = cls.topic
        out[f"{name}.v{cls.schema_version}.json"] = schema
    return out


def dump(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_all(directory: Path = SCHEMA_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, schema in generated().items():
        path = directory / name
        path.write_text(dump(schema), encoding="utf-8")
        paths.append(path)
    return paths


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        resolved: dict[str, Any] = root["$defs"][ref.removeprefix("#/$defs/")]
        return resolved
    return schema


def _shape(schema: dict[str, Any], root: dict[str, Any]) -> Any:
    """What a field's values look like, ignoring descriptions, titles and defaults."""
    schema = _resolve(schema, root)
    if "anyOf" in schema:
        return sorted(json.dumps(_shape(s, root), sort_keys=True) for s in schema["anyOf"])
    keep = {
        "type",
        "format",
        "pattern",
        "enum",
        "const",
        "minimum",
        "maximum",
        "minLength",
        "maxLength",
        "exclusiveMinimum",
        "exclusiveMaximum",
    }
    shape = {k: v for k, v in schema.items() if k in keep}
    if "properties" in schema:
        shape["properties"] = {k: _shape(v, root) for k, v in schema["properties"].items()}
        shape["required"] = sorted(schema.get("required", []))
    if "items" in schema:
        shape["items"] = _shape(schema["items"], root)
    return shape


def breaking_changes(old: dict[str, Any], new: dict[str, Any], path: str = "") -> list[str]:
    """Why `new` cannot replace `old` under the same major version (empty when it can)."""
    problems: list[str] = []
    old_props = old.get("properties", {})
    new_props = new.get("properties", {})
    for name, old_field in old_props.items():
        where = f"{path}{name}"
        if name not in new_props:
            problems.append(f"{where}: removed")
            continue
        o = _resolve(old_field, old)
        n = _resolve(new_props[name], new)
        if "properties" in o and "properties" in n:
            problems += breaking_changes(
                {**o, "$defs": old.get("$defs", {})},
                {**n, "$defs": new.get("$defs", {})},
                f"{where}.",
            )
        elif _shape(o, old) != _shape(n, new):
            problems.append(f"{where}: type changed")
    newly_required = set(new.get("required", [])) - set(old.get("required", []))
    problems += [f"{path}{name}: became required" for name in sorted(newly_required)]
    return problems
