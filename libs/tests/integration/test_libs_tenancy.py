"""Tenant-scoped reads: another tenant's row is simply not there."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import Field, SQLModel

from proximity.db.engine import build_engine, build_sessionmaker
from proximity.db.tenancy import get_scoped, scoped


class Gadget(SQLModel, table=True):
    __tablename__ = "tenancy_gadgets"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID = Field(index=True)
    name: str


@pytest.fixture
async def sessions(database_factory: Callable[[str], str]) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = build_engine(database_factory("tenancy"))
    async with engine.begin() as connection:
        await connection.run_sync(lambda sync: Gadget.__table__.create(sync))  # type: ignore[attr-defined]
    yield build_sessionmaker(engine)
    await engine.dispose()


async def test_rows_of_another_tenant_are_invisible(sessions: async_sessionmaker[AsyncSession]) -> None:
    mine, theirs = uuid.uuid4(), uuid.uuid4()
    own = Gadget(tenant_id=mine, name="own")
    foreign = Gadget(tenant_id=theirs, name="foreign")
    async with sessions() as session, session.begin():
        session.add_all([own, foreign])

    async with sessions() as session:
        assert (await get_scoped(session, Gadget, mine, own.id)) is not None
        assert (await get_scoped(session, Gadget, mine, foreign.id)) is None
        names = (await session.execute(scoped(Gadget, mine))).scalars().all()
        assert [g.name for g in names] == ["own"]
