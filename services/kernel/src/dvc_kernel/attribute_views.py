"""Answer models read off domain objects by pydantic's `from_attributes`, not copied field by field.

`view_of(StaffOut, account, account_id=account.id)` fills every field of the model from the
attribute of the same name, but for those given: named otherwise on the object, or derived.
A model reads only its own fields, so it never shows more of the object than it lists; an
attribute the object lacks leaves the field's default (or fails, if it has none).
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

Model = TypeVar("Model", bound=BaseModel)


class _Given:
    """`source`'s attributes, but for the values given."""

    def __init__(self, source: object, given: dict[str, Any]) -> None:
        self._source = source
        self._given = given

    def __getattr__(self, name: str) -> Any:
        if name in self._given:
            return self._given[name]
        return getattr(self._source, name)


def view_of(model: type[Model], source: object, **given: Any) -> Model:
    """`model` with its fields read from `source`'s attributes of the same names, or `given`."""
    return model.model_validate(_Given(source, given) if given else source, from_attributes=True)
