"""Keys a view leaves out in some answers (an include not asked for) but never sets to null."""

from __future__ import annotations

from typing import Any

from pydantic import Field, JsonValue


def _without_default(schema: dict[str, JsonValue]) -> None:
    # The default is pydantic's stand-in for "absent"; the document must not offer null.
    schema.pop("default", None)


def sometimes_absent(description: str, **constraints: Any) -> Any:
    """Annotate the field ``X | SkipJsonSchema[None]``, so the schema has no null branch either."""
    return Field(default=None, description=description, json_schema_extra=_without_default, **constraints)
