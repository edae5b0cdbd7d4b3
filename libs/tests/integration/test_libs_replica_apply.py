"""``apply_if_newer`` (and ``apply_all_if_newer`` for many rows) against real PostgreSQL: a
replica row takes a state only when its version is higher than the stored one, whatever order
the events arrive in."""

from __future__ import annotations

import asyncio
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from proximity.events.replica import apply_all_if_newer, apply_if_newer

replica = sa.Table(
    "thing_replica",
    sa.MetaData(),
    sa.Column("tenant_id", sa.Uuid, primary_key=True),
    sa.Column("thing_id", sa.Uuid, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("deleted", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("version", sa.BigInteger, nullable=False),
)


@pytest.fixture
async def table(engine: AsyncEngine) -> sa.Table:
    async with engine.begin() as connection:
        await connection.run_sync(replica.create)
    return replica


Row = tuple[str, bool, int]


async def apply(
    sessionmaker: async_sessionmaker[AsyncSession], key: dict[str, uuid.UUID], version: int, name: str
) -> bool:
    async with sessionmaker() as session, session.begin():
        return await apply_if_newer(session, replica, key=key, version=version, values={"name": name})


async def stored(sessionmaker: async_sessionmaker[AsyncSession], key: dict[str, uuid.UUID]) -> Row | None:
    async with sessionmaker() as session:
        row = (
            await session.execute(
                sa.select(replica.c.name, replica.c.deleted, replica.c.version).where(
                    replica.c.tenant_id == key["tenant_id"], replica.c.thing_id == key["thing_id"]
                )
            )
        ).first()
        return None if row is None else (row[0], row[1], row[2])


def new_key() -> dict[str, uuid.UUID]:
    return {"tenant_id": uuid.uuid4(), "thing_id": uuid.uuid4()}


@pytest.mark.usefixtures("table")
async def test_first_state_is_inserted_and_a_newer_one_applied(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    key = new_key()

    assert await apply(sessionmaker, key, 1, "first")
    assert await stored(sessionmaker, key) == ("first", False, 1)
    assert await apply(sessionmaker, key, 3, "third")  # versions may skip
    assert await stored(sessionmaker, key) == ("third", False, 3)


@pytest.mark.usefixtures("table")
async def test_an_older_state_arriving_late_is_ignored(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    key = new_key()
    await apply(sessionmaker, key, 5, "five")

    assert not await apply(sessionmaker, key, 4, "four, late")
    assert await stored(sessionmaker, key) == ("five", False, 5)


@pytest.mark.usefixtures("table")
async def test_the_same_version_again_is_ignored(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    key = new_key()
    await apply(sessionmaker, key, 2, "two")

    assert not await apply(sessionmaker, key, 2, "two, changed in flight")
    assert await stored(sessionmaker, key) == ("two", False, 2)


@pytest.mark.usefixtures("table")
async def test_rows_of_other_keys_are_left_alone(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    one, other = new_key(), {**new_key(), "thing_id": uuid.uuid4()}
    await apply(sessionmaker, one, 1, "one")
    await apply(sessionmaker, other, 9, "other")

    assert await apply(sessionmaker, one, 2, "one, newer")
    assert await stored(sessionmaker, other) == ("other", False, 9)


@pytest.mark.usefixtures("table")
async def test_a_tombstone_is_a_state_an_older_one_cannot_undo(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    key = new_key()
    await apply(sessionmaker, key, 1, "alive")
    async with sessionmaker() as session, session.begin():
        assert await apply_if_newer(
            session, replica, key=key, version=3, values={"name": "alive", "deleted": True}
        )

    assert not await apply(sessionmaker, key, 2, "resurrected by a late update")
    assert await stored(sessionmaker, key) == ("alive", True, 3)


@pytest.mark.usefixtures("table")
async def test_concurrent_states_in_any_order_end_at_the_highest_version(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    key = new_key()
    versions = [7, 3, 9, 1, 8, 2, 9, 5]

    await asyncio.gather(*(apply(sessionmaker, key, v, f"v{v}") for v in versions))

    assert await stored(sessionmaker, key) == ("v9", False, 9)


@pytest.mark.usefixtures("table")
async def test_version_is_given_by_its_argument_only(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    async with sessionmaker() as session:
        with pytest.raises(ValueError, match="version"):
            await apply_if_newer(session, replica, key=new_key(), version=1, values={"version": 2})


@pytest.mark.usefixtures("table")
async def test_many_rows_at_one_version_each_apply_only_where_newer(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    tenant = uuid.uuid4()
    older, newer, fresh = ({"tenant_id": tenant, "thing_id": uuid.uuid4()} for _ in range(3))
    await apply(sessionmaker, older, 2, "older")
    await apply(sessionmaker, newer, 7, "newer")
    rows = sorted(
        ({**key, "name": "batch"} for key in (older, newer, fresh)), key=lambda r: str(r["thing_id"])
    )
    async with sessionmaker() as session, session.begin():
        changed = await apply_all_if_newer(
            session, replica, key=("tenant_id", "thing_id"), version=5, rows=rows
        )
        assert (
            await apply_all_if_newer(session, replica, key=("tenant_id", "thing_id"), version=5, rows=[]) == 0
        )

    assert changed == 2
    assert await stored(sessionmaker, older) == ("batch", False, 5)
    assert await stored(sessionmaker, newer) == ("newer", False, 7)
    assert await stored(sessionmaker, fresh) == ("batch", False, 5)
