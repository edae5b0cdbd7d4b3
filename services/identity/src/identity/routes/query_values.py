"""How the people routes' own query parameters look in the API document."""

from __future__ import annotations

from proximity.openapi.operation import UUID_SCHEMA, Schema


def or_empty(schema: Schema) -> Schema:
    """``schema``, or the empty string: the routes read ``type_id=`` as no filter at all."""
    return {"anyOf": [dict(schema), {"type": "string", "enum": [""]}]}


OPTIONAL_UUID = or_empty(UUID_SCHEMA)
