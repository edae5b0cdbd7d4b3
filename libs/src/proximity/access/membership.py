"""Writing objects' datazone membership (``datazone_ids uuid[]``) in batches: one UPDATE per
distinct set of zones (there are few: objects of one area share theirs), over at most
``BATCH`` ids each, touching only rows whose set changed. Arrays are kept sorted, so equal
sets compare equal."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import literal, update
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.ext.asyncio import AsyncSession

BATCH = 5000


def stored(zones: Iterable[uuid.UUID]) -> list[uuid.UUID]:
    """The column's form of a set of zones."""
    return sorted(set(zones))


async def write_memberships(
    session: AsyncSession,
    table: Any,
    tenant_id: uuid.UUID,
    memberships: Iterable[tuple[uuid.UUID, frozenset[uuid.UUID]]],
    *,
    column: str = "datazone_ids",
) -> int:
    """Sets ``column`` of each (id, zones) of ``table``'s rows of the tenant; returns how many
    rows changed. Give ids in a stable order across writers (sorted), so they lock alike."""
    by_zones: dict[tuple[uuid.UUID, ...], list[uuid.UUID]] = defaultdict(list)
    for object_id, zone_ids in memberships:
        by_zones[tuple(stored(zone_ids))].append(object_id)
    target = getattr(table, "__table__", table)
    zones_column = target.c[column]
    changed = 0
    for zones, ids in by_zones.items():
        value = literal(list(zones), ARRAY(UUID(as_uuid=True)))
        for start in range(0, len(ids), BATCH):
            chunk = sorted(ids[start : start + BATCH])
            statement = (
                update(target)
                .where(
                    target.c.tenant_id == tenant_id,
                    target.c.id.in_(chunk),
                    zones_column.is_distinct_from(value),
                )
                .values({column: value})
                .execution_options(synchronize_session=False)
            )
            result = await session.execute(statement)
            changed += int(getattr(result, "rowcount", 0) or 0)
    return changed
