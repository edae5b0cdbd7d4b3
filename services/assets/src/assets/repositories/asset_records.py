"""The asset, and the parties and services assigned to it. Every row carries ``tenant_id``.

Lists sort by index only: per documented sort, a partial index over live assets of
(tenant_id, <the sort's key expressions>, id); ``asset_list.SORTS`` orders by the same
expressions, or PostgreSQL would not use them. Keywords search a GIN-indexed tsvector of the
name (seed 004: "Keywords search across name")."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Column, Computed, Float, Index, Integer, Text, Uuid, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR
from sqlmodel import Field, SQLModel

from proximity.db.columns import stamp

ASSET_SORT_INDEXES: dict[str, tuple[str, ...]] = {
    "id": (),
    "name": ("lower(name)",),
    # A prefix: a 5000-character description does not fit in a btree index row.
    "description": ('lower("left"(description, 200))',),
    "type": ("(sort_type IS NULL)", "COALESCE(sort_type, '')"),
    "total_parties": ("total_parties",),
    "total_contracts": ("total_contracts",),
    "created": ("created_at",),
    "updated": ("COALESCE(updated_at, created_at)",),
}
# The sorts in which every non-container comes after every container (a unit's type and its
# "Suite …" name): ``exclude_containers`` lists walk these partial indexes over non-containers
# (migration 0014), where the whole list's index would be walked past every container first.
NON_CONTAINER_SORTS = ("name", "type")
ASSET_SEARCH_WORDS = "to_tsvector('simple'::regconfig, name)"
# What location search's keywords match: the name and the address's text parts.
ASSET_LOCATION_WORDS = (
    "to_tsvector('simple'::regconfig, name || ' ' || "
    "COALESCE(jsonb_path_query_array(address, '$.* ? (@.type() == \"string\")')::text, ''))"
)
# The bounding box location search prefilters on (GiST), for assets that have a location.
ASSET_BOX = "box(point(min_long, min_lat), point(max_long, max_lat))"


def _asset_indexes() -> tuple[Index, ...]:
    def key(expression: str) -> Any:
        return expression if expression.isidentifier() else text(expression)

    live = text("deleted_at IS NULL")
    return (
        Index("ix_assets_search_words", "search_words", postgresql_using="gin"),
        Index("ix_assets_datazones", "datazone_ids", postgresql_using="gin"),
        Index("ix_assets_children", "tenant_id", "parent_id", postgresql_where=live),
        Index("ix_assets_location_words", "location_words", postgresql_using="gin"),
        Index(
            "ix_assets_box",
            text(ASSET_BOX),
            postgresql_using="gist",
            postgresql_where=text("deleted_at IS NULL AND min_long IS NOT NULL"),
        ),
        Index("ix_assets_of_type", "tenant_id", "type_id", postgresql_where=live),
        Index("ix_assets_of_entity", "tenant_id", "entity_id", postgresql_where=live),
        *(
            Index(f"ix_assets_list_{name}", "tenant_id", *map(key, keys), "id", postgresql_where=live)
            for name, keys in ASSET_SORT_INDEXES.items()
        ),
        *(
            Index(
                f"ix_assets_units_{name}",
                "tenant_id",
                *map(key, ASSET_SORT_INDEXES[name]),
                "id",
                postgresql_where=text("deleted_at IS NULL AND NOT is_container"),
            )
            for name in NON_CONTAINER_SORTS
        ),
    )


class Asset(SQLModel, table=True):
    """A location of the tenant (seed 004 "Type: Asset"): a site, a building, a unit ...

    Geo is kept as given (lat/long/radius or WKT) with a representative point and a bounding
    box, so location search can prefilter by index before exact tests."""

    __tablename__ = "assets"
    __table_args__ = _asset_indexes()

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID
    type_id: uuid.UUID | None = Field(default=None, foreign_key="asset_types.id")
    entity_id: uuid.UUID | None = None
    parent_id: uuid.UUID | None = Field(default=None, foreign_key="assets.id")
    name: str = Field(max_length=150)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    phone: str | None = Field(default=None, max_length=16)
    floor_unit: str | None = Field(default=None, max_length=150)
    year_built: str | None = Field(default=None, max_length=50)
    building_floor: str | None = Field(default=None, max_length=50)
    num_floors_units: str | None = Field(default=None, max_length=50)
    strata: str | None = Field(default=None, max_length=50)
    address: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB, nullable=True))
    geo_lat: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    geo_long: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    geo_radius: int | None = None
    geo_wkt: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    point_long: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    point_lat: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    min_long: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    min_lat: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    max_long: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    max_lat: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    is_hidden: bool = False
    version: int = 1
    created_at: datetime = stamp(nullable=False)
    updated_at: datetime | None = stamp()
    suspended_at: datetime | None = stamp()
    deleted_at: datetime | None = stamp()
    # Written by PostgreSQL only (migration 0003's triggers and generated column): what lists
    # sort and search by.
    location_words: Any = Field(
        default=None, sa_column=Column(TSVECTOR, Computed(ASSET_LOCATION_WORDS, persisted=True))
    )
    sort_type: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # The type's ``is_container`` (migration 0014's trigger): what ``exclude_containers`` tests.
    is_container: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, server_default=text("false"))
    )
    total_parties: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default=text("0")))
    # Kept by migration 0011's trigger from the replica of contracts' links (contract_replica).
    total_contracts: int = Field(
        default=0, sa_column=Column(Integer, nullable=False, server_default=text("0"))
    )
    search_words: Any = Field(
        default=None, sa_column=Column(TSVECTOR, Computed(ASSET_SEARCH_WORDS, persisted=True))
    )
    # The live datazones it lies in (``assets.services.territories``, on every write and every
    # datazone event), sorted: what scoped lists filter by (``datazone_ids && :zones``, GIN).
    datazone_ids: list[uuid.UUID] = Field(
        default_factory=list,
        sa_column=Column(ARRAY(Uuid), nullable=False, server_default=text("'{}'::uuid[]")),
    )


class AssetParty(SQLModel, table=True):
    """A party assigned to an asset (its id validated against the replica of identity's parties)."""

    __tablename__ = "asset_parties"
    __table_args__ = (Index("ix_asset_parties_party", "tenant_id", "party_id"),)

    asset_id: uuid.UUID = Field(foreign_key="assets.id", primary_key=True)
    party_id: uuid.UUID = Field(primary_key=True)
    tenant_id: uuid.UUID


class AssetService(SQLModel, table=True):
    """A service assigned to an asset; services are contracts' (validated against its replica)."""

    __tablename__ = "asset_services"
    __table_args__ = (Index("ix_asset_services_service", "tenant_id", "service_id"),)

    asset_id: uuid.UUID = Field(foreign_key="assets.id", primary_key=True)
    service_id: uuid.UUID = Field(primary_key=True)
    tenant_id: uuid.UUID
