"""What the API document needs from the models beyond their types: keys a view leaves out
are not null, and the values a use case accepts in a free-form field."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import Field, JsonValue


def _without_default(schema: dict[str, JsonValue]) -> None:
    # The default is pydantic's stand-in for "absent"; the document must not offer null.
    schema.pop("default", None)


def sometimes_absent(description: str) -> Any:
    """A key the view leaves out in some answers but never sets to null. Annotate the field
    ``X | SkipJsonSchema[None]``, so that the schema has no null branch either."""
    return Field(default=None, description=description, json_schema_extra=_without_default)


def listed_in_document(values: Iterable[str]) -> dict[str, JsonValue]:
    """``json_schema_extra`` naming the values a use case accepts in a plain ``str`` field, so
    that the document lists them while the use case keeps answering its own error code."""
    return {"enum": [*sorted(values)]}
