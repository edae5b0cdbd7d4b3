"""The read model of the map: points (assets and entities) and their number values, as the
consumers of assets' events write them, and the tail every replica of the service reads.

Rows are never deleted: a point that leaves the map is kept with ``on_map`` false, so a late,
older event cannot bring it back and every replica's tail sees it go. Each write stamps the
row with its transaction id (``tx``, ``pg_current_xact_id()``). A reader takes the rows with
``tx`` at or above the lowest transaction still running when it last read (its snapshot's
``xmin``): every transaction below that had finished then, so nothing committed later can be
missed, whatever order writers commit in; the few rows read twice are filtered by version.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BigInteger, Boolean, Column, Float, Index, String, func, text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.dialects.postgresql.base import ischema_names
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import UserDefinedType
from sqlmodel import Field, SQLModel

from heatmaps.domain.map_points import MapPoint
from proximity.events.replica import apply_if_newer


class XID8(UserDefinedType[str]):
    """PostgreSQL's 64-bit transaction id; written only as ``pg_current_xact_id()``."""

    cache_ok = True

    def get_col_spec(self, **_: Any) -> str:
        return "xid8"


# So that reflecting the table (alembic's drift check) knows the type.
ischema_names.setdefault("xid8", XID8)
_WRITING_TRANSACTION = text("pg_current_xact_id()")
STREAM_ROWS = 5000


class MapPointRow(SQLModel, table=True):
    __tablename__ = "map_point"
    __table_args__ = (Index("ix_map_point_tx", "tx"),)

    id: uuid.UUID = Field(sa_column=Column(UUID(as_uuid=True), primary_key=True))
    tenant_id: uuid.UUID = Field(sa_column=Column(UUID(as_uuid=True), nullable=False, index=True))
    kind: str = Field(sa_column=Column(String(10), nullable=False))
    version: int = Field(sa_column=Column(BigInteger, nullable=False))
    name: str = Field(sa_column=Column(String, nullable=False))
    lng: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    lat: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    country: str | None = Field(default=None, sa_column=Column(String, nullable=True))
    region: str | None = Field(default=None, sa_column=Column(String, nullable=True))
    city: str | None = Field(default=None, sa_column=Column(String, nullable=True))
    entity_id: uuid.UUID | None = Field(default=None, sa_column=Column(UUID(as_uuid=True), nullable=True))
    industry_id: uuid.UUID | None = Field(default=None, sa_column=Column(UUID(as_uuid=True), nullable=True))
    addresses: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSONB, nullable=False))
    on_map: bool = Field(sa_column=Column(Boolean, nullable=False))
    tx: str | None = Field(
        default=None, sa_column=Column("tx", XID8(), nullable=False, server_default=_WRITING_TRANSACTION)
    )


class MapValueRow(SQLModel, table=True):
    __tablename__ = "map_value"
    __table_args__ = (Index("ix_map_value_tx", "tx"),)

    field_id: uuid.UUID = Field(sa_column=Column(UUID(as_uuid=True), primary_key=True))
    subject_id: uuid.UUID = Field(sa_column=Column(UUID(as_uuid=True), primary_key=True))
    object_id: uuid.UUID = Field(sa_column=Column(UUID(as_uuid=True), primary_key=True))
    tenant_id: uuid.UUID = Field(sa_column=Column(UUID(as_uuid=True), nullable=False))
    value: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    version: int = Field(sa_column=Column(BigInteger, nullable=False))
    tx: str | None = Field(
        default=None, sa_column=Column("tx", XID8(), nullable=False, server_default=_WRITING_TRANSACTION)
    )


@dataclass(frozen=True, slots=True)
class MapValue:
    tenant_id: uuid.UUID
    field_id: uuid.UUID
    subject_id: uuid.UUID
    object_id: uuid.UUID
    value: float | None
    version: int


async def store_point(session: AsyncSession, tenant_id: uuid.UUID, point: MapPoint) -> bool:
    return await apply_if_newer(
        session,
        MapPointRow,
        key={"id": point.id},
        version=point.version,
        values={
            "tenant_id": tenant_id,
            "kind": point.kind,
            "name": point.name,
            "lng": point.lng,
            "lat": point.lat,
            "country": point.country,
            "region": point.region,
            "city": point.city,
            "entity_id": point.entity_id,
            "industry_id": point.industry_id,
            "addresses": [dict(a) for a in point.addresses],
            "on_map": point.on_map,
            "tx": func.pg_current_xact_id(),
        },
    )


async def store_value(session: AsyncSession, value: MapValue) -> bool:
    return await apply_if_newer(
        session,
        MapValueRow,
        key={"field_id": value.field_id, "subject_id": value.subject_id, "object_id": value.object_id},
        version=value.version,
        values={"tenant_id": value.tenant_id, "value": value.value, "tx": func.pg_current_xact_id()},
    )


_POINTS = text(
    "SELECT tenant_id, id, kind, version, name, lng, lat, country, region, city, entity_id,"
    " industry_id, addresses, on_map FROM map_point WHERE tx >= CAST(:since AS xid8)"
)
_VALUES = text(
    "SELECT tenant_id, field_id, subject_id, object_id, value, version FROM map_value"
    " WHERE tx >= CAST(:since AS xid8)"
)
_HORIZON = text("SELECT CAST(pg_snapshot_xmin(pg_current_snapshot()) AS text)")


def _point(row: Sequence[Any]) -> tuple[uuid.UUID, MapPoint]:
    (tenant_id, point_id, kind, version, name, lng, lat, country, region, city, entity, industry,
     addresses, on_map) = row  # fmt: skip
    return tenant_id, MapPoint(
        id=point_id,
        kind=kind,
        version=version,
        name=name,
        lng=lng,
        lat=lat,
        country=country,
        region=region,
        city=city,
        entity_id=entity,
        industry_id=industry,
        addresses=tuple(addresses or ()),
        on_map=on_map,
    )


async def horizon(session: AsyncSession) -> str:
    """Where the next tail starts: the snapshot's xmin (call in the tail's transaction)."""
    found = (await session.execute(_HORIZON)).scalar_one()
    return str(found)


async def points_since(session: AsyncSession, since: str) -> AsyncIterator[list[tuple[uuid.UUID, MapPoint]]]:
    """Points written at or after ``since``, in chunks (a start-up reads every row)."""
    result = await session.stream(
        _POINTS.bindparams(since=since), execution_options={"yield_per": STREAM_ROWS}
    )
    async for chunk in result.partitions(STREAM_ROWS):
        yield [_point(row) for row in chunk]


async def values_since(session: AsyncSession, since: str) -> AsyncIterator[list[MapValue]]:
    result = await session.stream(
        _VALUES.bindparams(since=since), execution_options={"yield_per": STREAM_ROWS}
    )
    async for chunk in result.partitions(STREAM_ROWS):
        yield [MapValue(*row) for row in chunk]
