"""Lists show what the caller may view: the SQL condition for an object's ``datazone_ids``."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, false, literal
from sqlalchemy.dialects.postgresql import ARRAY, UUID

from proximity.access.grants import Grants


def zones_condition(column: Any, zones: Collection[uuid.UUID]) -> ColumnElement[bool]:
    """``column && :zones`` (a GIN index on ``column`` serves it); nothing for no zones."""
    if not zones:
        return false()
    return column.op("&&")(literal(sorted(zones), ARRAY(UUID(as_uuid=True))))  # type: ignore[no-any-return]


def visible(grants: Grants, tag: str, column: Any) -> ColumnElement[bool] | None:
    """The filter a list of ``tag``'s objects adds: None when the caller sees the whole tenant."""
    zones = grants.list_zones(tag)
    return None if zones is None else zones_condition(column, zones)
