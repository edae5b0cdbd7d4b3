"""Writing a tenant's system catalogue (``iam.domain.system_catalogue``): every row by its
derived id, ``ON CONFLICT DO NOTHING``, so provisioning twice adds nothing."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from iam.domain.system_catalogue import TenantCatalogue
from iam.repositories.features import Feature, FeatureCategory
from iam.repositories.groups import GroupItem, IamGroup
from proximity.db.columns import now


async def provision_catalogue(
    session: AsyncSession, tenant_id: uuid.UUID, catalogue: TenantCatalogue
) -> Sequence[uuid.UUID]:
    """Adds what the tenant lacks; returns the ids of the system groups it newly created."""
    stamped = now()
    await session.execute(
        insert(FeatureCategory)
        .values(
            [
                {
                    "id": c.id,
                    "tenant_id": tenant_id,
                    "name": c.name,
                    "sys_name": c.sys_name,
                    "parent_id": None,
                }
                for c in catalogue.categories
            ]
        )
        .on_conflict_do_nothing()
    )
    await session.execute(
        insert(Feature)
        .values(
            [
                {
                    "id": f.id,
                    "tenant_id": tenant_id,
                    "name": f.name,
                    "permission": f.permission,
                    "category_id": f.category_id,
                    "is_system": True,
                    "created_at": stamped,
                }
                for f in catalogue.features
            ]
        )
        .on_conflict_do_nothing()
    )
    created = await session.execute(
        insert(IamGroup)
        .values(
            [
                {
                    "id": g.id,
                    "tenant_id": tenant_id,
                    "name": g.name,
                    "description": g.description,
                    "type": "feature",
                    "meta": {},
                    "is_system": True,
                    "version": 1,
                    "created_at": stamped,
                }
                for g in catalogue.groups
            ]
        )
        .on_conflict_do_nothing()
        .returning(IamGroup.__table__.c.id)  # type: ignore[attr-defined]
    )
    new_groups = list(created.scalars())
    await session.execute(
        insert(GroupItem)
        .values(
            [
                {"tenant_id": tenant_id, "group_id": g.id, "item_id": item}
                for g in catalogue.groups
                for item in g.feature_ids
            ]
        )
        .on_conflict_do_nothing()
    )
    return new_groups
