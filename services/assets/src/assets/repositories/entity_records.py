"""Entities (seed 004 "Type: Entity"): client and vendor organisations, with the parties that
own them or are their contacts (each in a role) and the services assigned to them.

``GET /entities`` sorts by index only, as ``GET /assets`` does (``entity_list.SORTS``)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Computed, Index, Integer, Text, Uuid, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR
from sqlmodel import Field, SQLModel

from proximity.db.columns import stamp

ENTITY_SORT_INDEXES: dict[str, tuple[str, ...]] = {
    "id": (),
    "name": ("lower(name)",),
    # A prefix: a 5000-character description does not fit in a btree index row.
    "description": (
        '(lower("left"(description, 200)) IS NULL)',
        "COALESCE(lower(\"left\"(description, 200)), '')",
    ),
    "type": ("(sort_type IS NULL)", "COALESCE(sort_type, '')"),
    "total_assets": ("total_assets",),
    "total_contracts": ("total_contracts",),
    "created": ("created_at",),
    "updated": ("COALESCE(updated_at, created_at)",),
}
ENTITY_SEARCH_WORDS = "to_tsvector('simple'::regconfig, name)"
# What location search's keywords match: the name and the text parts of every address.
ENTITY_LOCATION_WORDS = (
    "to_tsvector('simple'::regconfig, name || ' ' || "
    "jsonb_path_query_array(addresses, '$[*].* ? (@.type() == \"string\")')::text)"
)
# The box around the coordinates of every address (null without any; migration 0012's
# function), which location search prefilters on (GiST) before the exact test.
ENTITY_BOX = "entity_location_box(addresses)"


def _entity_indexes() -> tuple[Index, ...]:
    def key(expression: str) -> Any:
        return expression if expression.isidentifier() else text(expression)

    live = text("deleted_at IS NULL")
    return (
        Index("ix_entities_search_words", "search_words", postgresql_using="gin"),
        Index("ix_entities_datazones", "datazone_ids", postgresql_using="gin"),
        Index("ix_entities_location_words", "location_words", postgresql_using="gin"),
        Index(
            "ix_entities_box",
            text(ENTITY_BOX),
            postgresql_using="gist",
            postgresql_where=text(f"deleted_at IS NULL AND {ENTITY_BOX} IS NOT NULL"),
        ),
        Index("ix_entities_of_type", "tenant_id", "type_id", postgresql_where=live),
        *(
            Index(f"ix_entities_list_{name}", "tenant_id", *map(key, keys), "id", postgresql_where=live)
            for name, keys in ENTITY_SORT_INDEXES.items()
        ),
    )


class Entity(SQLModel, table=True):
    __tablename__ = "entities"
    __table_args__ = _entity_indexes()

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID
    type_id: uuid.UUID = Field(foreign_key="entity_types.id")
    industry_id: uuid.UUID | None = Field(default=None, foreign_key="industries.id")
    name: str = Field(max_length=150)
    description: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    phone: str | None = Field(default=None, max_length=16)
    url: str | None = Field(default=None, max_length=1000)
    addresses: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSONB, nullable=False, server_default=text("'[]'::jsonb"))
    )
    version: int = 1
    created_at: datetime = stamp(nullable=False)
    updated_at: datetime | None = stamp()
    suspended_at: datetime | None = stamp()
    deleted_at: datetime | None = stamp()
    search_words: Any = Field(
        default=None, sa_column=Column(TSVECTOR, Computed(ENTITY_SEARCH_WORDS, persisted=True))
    )
    location_words: Any = Field(
        default=None, sa_column=Column(TSVECTOR, Computed(ENTITY_LOCATION_WORDS, persisted=True))
    )
    # Kept by migration 0006's triggers, so lists can sort by them: the type's name, and how
    # many live assets name the entity.
    sort_type: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    total_assets: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default=text("0")))
    # Kept by migration 0011's trigger from the replica of contracts' links (contract_replica).
    total_contracts: int = Field(
        default=0, sa_column=Column(Integer, nullable=False, server_default=text("0"))
    )
    # The live datazones it lies in (``assets.services.territories``, on every write and every
    # datazone event), sorted: what scoped lists filter by (``datazone_ids && :zones``, GIN).
    datazone_ids: list[uuid.UUID] = Field(
        default_factory=list,
        sa_column=Column(ARRAY(Uuid), nullable=False, server_default=text("'{}'::uuid[]")),
    )


class EntityParty(SQLModel, table=True):
    """A party that owns an entity or is its contact (``kind``), in a role of that kind."""

    __tablename__ = "entity_parties"
    __table_args__ = (Index("ix_entity_parties_party", "tenant_id", "party_id"),)

    entity_id: uuid.UUID = Field(foreign_key="entities.id", primary_key=True)
    kind: str = Field(max_length=10, primary_key=True)  # owner | contact
    party_id: uuid.UUID = Field(primary_key=True)
    role_id: uuid.UUID = Field(foreign_key="entity_roles.id")
    tenant_id: uuid.UUID


class EntityService(SQLModel, table=True):
    __tablename__ = "entity_services"
    __table_args__ = (Index("ix_entity_services_service", "tenant_id", "service_id"),)

    entity_id: uuid.UUID = Field(foreign_key="entities.id", primary_key=True)
    service_id: uuid.UUID = Field(primary_key=True)
    tenant_id: uuid.UUID
