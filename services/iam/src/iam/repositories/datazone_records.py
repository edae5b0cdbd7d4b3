"""The datazone, its owners and its geozones (seed 004 "Datazones"). Every row carries
``tenant_id``.

The linked ids (industries, entities, contracts) are uuid arrays in the order given: a zone's
event carries them whole and nothing joins through them except ``GET /datazones?entity_id=``,
which a GIN index on ``entity_ids`` serves. Keywords search a GIN-indexed tsvector of the name
and description (seed 004: "Keywords search across name and description")."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Computed, Float, Index, Integer, Text, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR
from sqlalchemy.types import Uuid
from sqlmodel import Field, SQLModel

from proximity.db.columns import stamp

DATAZONE_SEARCH_WORDS = "to_tsvector('simple'::regconfig, (name || ' ') || description)"


def _uuids() -> Any:
    return Field(
        default_factory=list,
        sa_column=Column(ARRAY(Uuid()), nullable=False, server_default=text("'{}'::uuid[]")),
    )


class Datazone(SQLModel, table=True):
    """A datazone of the tenant: ``type`` is ``geo`` or ``commercial`` and never changes;
    ``addresses`` are seed 004 Addresses (geo only); ``version`` counts every change, its
    geozones' included (docs/events.md)."""

    __tablename__ = "datazone"
    __table_args__ = (
        Index("ix_datazone_search_words", "search_words", postgresql_using="gin"),
        Index("ix_datazone_entity_ids", "entity_ids", postgresql_using="gin"),
        Index(
            "ix_datazone_list_name",
            "tenant_id",
            text("lower(name)"),
            "id",
            postgresql_where=text("deleted_at IS NULL"),
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID
    name: str = Field(max_length=150)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    type: str = Field(max_length=20)
    is_dynamic: bool = False
    addresses: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSONB, nullable=False, server_default=text("'[]'::jsonb"))
    )
    industry_ids: list[uuid.UUID] = _uuids()
    entity_ids: list[uuid.UUID] = _uuids()
    contract_ids: list[uuid.UUID] = _uuids()
    version: int = 1
    created_at: datetime = stamp(nullable=False)
    updated_at: datetime | None = stamp()
    suspended_at: datetime | None = stamp()
    deleted_at: datetime | None = stamp()
    search_words: Any = Field(
        default=None, sa_column=Column(TSVECTOR, Computed(DATAZONE_SEARCH_WORDS, persisted=True))
    )


class DatazoneOwner(SQLModel, table=True):
    """A party owning the datazone, ``position`` keeping the order given."""

    __tablename__ = "datazone_owner"
    __table_args__ = (Index("ix_datazone_owner_party", "party_id"),)

    datazone_id: uuid.UUID = Field(foreign_key="datazone.id", primary_key=True)
    party_id: uuid.UUID = Field(primary_key=True)
    tenant_id: uuid.UUID
    position: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default=text("0")))


class Geozone(SQLModel, table=True):
    """A point (``lat``/``long``, ``radius`` in metres) or a WKT (Multi)Polygon of a geo datazone,
    ``position`` keeping the order of the last ``PUT .../geozones``."""

    __tablename__ = "geozone"
    __table_args__ = (Index("ix_geozone_datazone", "datazone_id", "position"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID
    datazone_id: uuid.UUID = Field(foreign_key="datazone.id")
    position: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default=text("0")))
    name: str | None = Field(default=None, max_length=150)
    lat: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    long: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    radius: int | None = None
    wkt: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
