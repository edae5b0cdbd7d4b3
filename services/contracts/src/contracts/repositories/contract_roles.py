"""A tenant's contract roles, provisioned from the standard catalogue."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import UniqueConstraint
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from contracts.domain.contract_roles import STANDARD_CONTRACT_ROLES, role_id
from proximity.db.columns import now, stamp


class ContractRole(SQLModel, table=True):
    __tablename__ = "contract_roles"
    __table_args__ = (UniqueConstraint("tenant_id", "key", name="uq_contract_roles_tenant_key"),)

    id: uuid.UUID = Field(primary_key=True)
    tenant_id: uuid.UUID = Field(index=True)
    key: str = Field(max_length=50)
    name: str = Field(max_length=150)
    description: str | None = Field(default=None, max_length=5000)
    type: str = Field(max_length=20)  # contact | owner
    created_at: datetime = stamp(nullable=False)


async def provision_contract_roles(session: AsyncSession, tenant_id: uuid.UUID) -> None:
    """Adds the standard contract roles a tenant lacks (none twice)."""
    stamped = now()
    roles: list[dict[str, Any]] = [
        {
            "id": role_id(tenant_id, r.key),
            "tenant_id": tenant_id,
            "key": r.key,
            "name": r.name,
            "description": r.description,
            "type": r.type,
            "created_at": stamped,
        }
        for r in STANDARD_CONTRACT_ROLES
    ]
    await session.execute(insert(ContractRole).values(roles).on_conflict_do_nothing())


async def contract_roles_of(session: AsyncSession, tenant_id: uuid.UUID) -> Sequence[ContractRole]:
    query = (
        select(ContractRole)
        .where(col(ContractRole.tenant_id) == tenant_id)
        .order_by(col(ContractRole.type), col(ContractRole.name))
    )
    return (await session.execute(query)).scalars().all()


async def role_types_of(
    session: AsyncSession, tenant_id: uuid.UUID, role_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, str]:
    """The type (owner / contact) of each of ``role_ids`` that is a role of the tenant."""
    if not role_ids:
        return {}
    query = select(col(ContractRole.id), col(ContractRole.type)).where(
        col(ContractRole.tenant_id) == tenant_id, col(ContractRole.id).in_(list(set(role_ids)))
    )
    return {row[0]: row[1] for row in (await session.execute(query)).all()}
