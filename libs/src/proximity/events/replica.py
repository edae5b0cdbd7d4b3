"""Applying another context's state to a local replica table only when it is newer.

Events of one aggregate can arrive late or twice (a redelivery, a replay of a parked message,
a republish): the event's ``version`` decides, in one statement, so no consumer compares
versions by hand and two replicas of a consumer cannot interleave a read and a write::

    applied = await apply_if_newer(
        session, EffectivePermissions, key={"party_id": party_id}, version=event.version,
        values={"tenant_id": tenant_id, "groups": groups},
    )

A replica that must forget a row keeps it as a tombstone instead (``values`` with e.g.
``deleted_at``, through this same call): a deleted row would let an older state, arriving
after the deletion, bring it back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession


def _table_of(table: Any) -> Table:
    found = getattr(table, "__table__", table)  # a SQLModel / declarative class, or a Table
    if not isinstance(found, Table):
        raise TypeError(f"{table!r} is not a table")
    return found


async def apply_if_newer(
    session: AsyncSession,
    table: Any,
    *,
    key: Mapping[str, Any],
    version: int,
    values: Mapping[str, Any],
    version_column: str = "version",
) -> bool:
    """Insert the row named by ``key`` with ``values`` at ``version``, or update the stored
    row when its version is lower; a stored version equal or higher wins. ``key`` must be
    the columns of a unique index (the conflict target). Returns whether the row changed."""
    target = _table_of(table)
    if not key:
        raise ValueError("key names no column")
    if version_column in key or version_column in values:
        raise ValueError(f"{version_column!r} is given by version=, not in key or values")
    row = {**key, **values, version_column: version}
    inserted = insert(target).values(**row)
    changed = {name: inserted.excluded[name] for name in (*values, version_column)}
    statement = inserted.on_conflict_do_update(
        index_elements=[target.c[name] for name in key],
        set_=changed,
        where=target.c[version_column] < inserted.excluded[version_column],
    ).returning(target.c[next(iter(key))])
    return (await session.execute(statement)).first() is not None


async def apply_all_if_newer(
    session: AsyncSession,
    table: Any,
    *,
    key: Sequence[str],
    version: int,
    rows: Sequence[Mapping[str, Any]],
    version_column: str = "version",
) -> int:
    """``apply_if_newer`` for many rows of one state at one ``version`` in one statement (the
    links a contract carries): each row, named by its ``key`` columns, is inserted or updated
    unless its stored version is equal or higher. Give the rows in key order, so two writers
    lock them in the same order. Returns how many rows changed."""
    if not rows:
        return 0
    target = _table_of(table)
    if not key:
        raise ValueError("key names no column")
    values = [name for name in rows[0] if name not in key]
    if version_column in rows[0]:
        raise ValueError(f"{version_column!r} is given by version=, not in the rows")
    inserted = insert(target).values([{**row, version_column: version} for row in rows])
    changed = {name: inserted.excluded[name] for name in (*values, version_column)}
    statement = inserted.on_conflict_do_update(
        index_elements=[target.c[name] for name in key],
        set_=changed,
        where=target.c[version_column] < inserted.excluded[version_column],
    ).returning(target.c[key[0]])
    return len((await session.execute(statement)).all())
