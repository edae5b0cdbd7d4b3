"""Queries on tenants and their clients."""

from __future__ import annotations

import hashlib

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from identity.repositories.tables import Client, DomainKey, Tenant


def client_key_hash(client_key: str) -> str:
    return hashlib.sha256(client_key.encode()).hexdigest()


async def active_client_by_hash(session: AsyncSession, key_hash: str) -> Client | None:
    query = select(Client).where(Client.key_hash == key_hash, col(Client.revoked_at).is_(None))
    return (await session.execute(query)).scalar_one_or_none()


async def tenant_by_name(session: AsyncSession, name: str) -> Tenant | None:
    return (await session.execute(select(Tenant).where(Tenant.name == name))).scalars().first()


async def domain_key(session: AsyncSession, domain: str) -> DomainKey | None:
    return await session.get(DomainKey, domain)
