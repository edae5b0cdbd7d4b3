"""What a group's items may be, per group type (seed 004 "Group Items"): a user group holds live
parties of base type user, a feature group live features, a territory group live datazones.
Each type's catalogue answers one question, which of these ids it does not hold, so a type's
items can be checked without the group code knowing the table (datazones plug in here)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Collection

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from iam.repositories.features import missing_features
from iam.repositories.party_replica import missing_users

MissingItems = Callable[[AsyncSession, uuid.UUID, Collection[uuid.UUID]], Awaitable[set[uuid.UUID]]]


async def missing_datazones(
    session: AsyncSession, tenant_id: uuid.UUID, ids: Collection[uuid.UUID]
) -> set[uuid.UUID]:
    """Live datazones of the tenant, from the ``datazone`` table once it exists (it comes with
    the datazone endpoints); before that no territory item exists."""
    if not ids:
        return set()
    exists = (await session.execute(text("SELECT to_regclass('datazone') IS NOT NULL"))).scalar_one()
    if not exists:
        return set(ids)
    found = await session.execute(
        text(
            "SELECT id FROM datazone WHERE tenant_id = :tenant_id AND id = ANY(:ids) AND deleted_at IS NULL"
        ),
        {"tenant_id": tenant_id, "ids": list(ids)},
    )
    return set(ids) - set(found.scalars())


async def _none_missing(
    session: AsyncSession, tenant_id: uuid.UUID, ids: Collection[uuid.UUID]
) -> set[uuid.UUID]:
    return set()  # operational groups hold no items: theirs are ignored, never checked


ITEM_CATALOGUES: dict[str, MissingItems] = {
    "user": missing_users,
    "feature": missing_features,
    "territory": missing_datazones,
    "operational": _none_missing,
}


async def missing_items(
    session: AsyncSession, tenant_id: uuid.UUID, group_type: str, ids: Collection[uuid.UUID]
) -> set[uuid.UUID]:
    return await ITEM_CATALOGUES[group_type](session, tenant_id, ids)
