"""What a new tenant is given in iam (``identity.tenant.created``): its system features, their
categories and the system feature groups, each new group announced (``iam.group.created``) and
recorded as a permission change, all in the caller's transaction."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from iam.domain.system_catalogue import tenant_catalogue
from iam.events.group_events import group_created
from iam.repositories.groups import IamGroup
from iam.repositories.permission_changes import record_change
from iam.repositories.system_catalogue import provision_catalogue
from proximity.events.tables import OutboxMessage


async def provision_tenant(session: AsyncSession, tenant_id: uuid.UUID) -> None:
    """Everything a tenant starts with; twice adds nothing (and announces nothing)."""
    created = await provision_catalogue(session, tenant_id, tenant_catalogue(tenant_id))
    if not created:
        return
    groups = (await session.execute(select(IamGroup).where(col(IamGroup.id).in_(created)))).scalars()
    for group in sorted(groups, key=lambda g: g.name):
        session.add(OutboxMessage.from_event(group_created(group)))
    await record_change(session, tenant_id, group_ids=created)
