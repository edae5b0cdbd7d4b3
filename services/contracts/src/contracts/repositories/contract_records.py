"""The contract, and its links to assets, entities, parties and services. Every row carries
``tenant_id``.

Lists sort by index only: per documented sort, a partial index over live contracts of
(tenant_id, <the sort's key expressions>, id); ``contract_list.SORTS`` orders by the same
expressions, or PostgreSQL would not use them. Keywords search a GIN-indexed tsvector of the
name (seed 004: "Keywords search across name"). Each link table has an index by the linked
object, for the ``asset_id`` / ``entity_ids`` / ``party_id`` / ``service_id`` filters and for
unlinking an object everywhere when assets or identity deletes it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Computed, Index, Integer, Text, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR
from sqlalchemy.types import Uuid
from sqlmodel import Field, SQLModel

from proximity.db.columns import stamp

CONTRACT_SORT_INDEXES: dict[str, tuple[str, ...]] = {
    "id": (),
    "name": ("lower(name)",),
    # A prefix: a 5000-character description does not fit in a btree index row.
    "description": ('lower("left"(description, 200))',),
    "total_assets": ("total_assets",),
    "total_entities": ("total_entities",),
    "expiry": (
        "(expires_at IS NULL)",
        "COALESCE(expires_at, '1970-01-01 00:00:00+00'::timestamp with time zone)",
    ),
    "created": ("created_at",),
    "updated": ("COALESCE(updated_at, created_at)",),
}
CONTRACT_SEARCH_WORDS = "to_tsvector('simple'::regconfig, name)"


def _contract_indexes() -> tuple[Index, ...]:
    def key(expression: str) -> Any:
        return expression if expression.isidentifier() else text(expression)

    live = text("deleted_at IS NULL")
    return (
        Index("ix_contracts_search_words", "search_words", postgresql_using="gin"),
        Index("ix_contracts_datazones", "datazone_ids", postgresql_using="gin"),
        *(
            Index(f"ix_contracts_list_{name}", "tenant_id", *map(key, keys), "id", postgresql_where=live)
            for name, keys in CONTRACT_SORT_INDEXES.items()
        ),
    )


class Contract(SQLModel, table=True):
    """A contract of the tenant (seed 004 "Type: Contract"). ``owners`` and ``contacts`` are
    party associations ``[{"party_id", "role_id"}]`` in the order given; ``media_ids`` are
    documents of the assets service in the order given (checked against its replica). ``version`` counts
    every change of the contract and of any of its links (docs/events.md)."""

    __tablename__ = "contracts"
    __table_args__ = _contract_indexes()

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID
    name: str = Field(max_length=150)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    starts_at: datetime | None = stamp()
    expires_at: datetime | None = stamp()
    url: str | None = Field(default=None, max_length=1000)
    owners: list[dict[str, str]] = Field(
        default_factory=list, sa_column=Column(JSONB, nullable=False, server_default=text("'[]'::jsonb"))
    )
    contacts: list[dict[str, str]] = Field(
        default_factory=list, sa_column=Column(JSONB, nullable=False, server_default=text("'[]'::jsonb"))
    )
    media_ids: list[uuid.UUID] = Field(
        default_factory=list,
        sa_column=Column(ARRAY(Uuid()), nullable=False, server_default=text("'{}'::uuid[]")),
    )
    version: int = 1
    created_at: datetime = stamp(nullable=False)
    updated_at: datetime | None = stamp()
    suspended_at: datetime | None = stamp()
    deleted_at: datetime | None = stamp()
    # Kept with the links, in the transaction that changes them (contract_links): what the
    # total_assets / total_entities sorts and include[]=counts read.
    total_assets: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default=text("0")))
    total_entities: int = Field(
        default=0, sa_column=Column(Integer, nullable=False, server_default=text("0"))
    )
    search_words: Any = Field(
        default=None, sa_column=Column(TSVECTOR, Computed(CONTRACT_SEARCH_WORDS, persisted=True))
    )
    # The live datazones it lies in (``contracts.services.territories``, on every write of it or
    # of its entity links and every datazone event), sorted: what scoped lists filter by
    # (``datazone_ids && :zones``, GIN) and what ``__permissions__`` are computed from.
    datazone_ids: list[uuid.UUID] = Field(
        default_factory=list,
        sa_column=Column(ARRAY(Uuid()), nullable=False, server_default=text("'{}'::uuid[]")),
    )


class ContractAsset(SQLModel, table=True):
    __tablename__ = "contract_asset_links"
    __table_args__ = (Index("ix_contract_asset_links_asset", "asset_id", "contract_id"),)

    contract_id: uuid.UUID = Field(foreign_key="contracts.id", primary_key=True)
    asset_id: uuid.UUID = Field(primary_key=True)
    tenant_id: uuid.UUID


class ContractEntity(SQLModel, table=True):
    __tablename__ = "contract_entity_links"
    __table_args__ = (Index("ix_contract_entity_links_entity", "entity_id", "contract_id"),)

    contract_id: uuid.UUID = Field(foreign_key="contracts.id", primary_key=True)
    entity_id: uuid.UUID = Field(primary_key=True)
    tenant_id: uuid.UUID


class ContractParty(SQLModel, table=True):
    __tablename__ = "contract_party_links"
    __table_args__ = (Index("ix_contract_party_links_party", "party_id", "contract_id"),)

    contract_id: uuid.UUID = Field(foreign_key="contracts.id", primary_key=True)
    party_id: uuid.UUID = Field(primary_key=True)
    tenant_id: uuid.UUID


class ContractService(SQLModel, table=True):
    """A service (contracts' own, ``repositories.services``) the contract covers."""

    __tablename__ = "contract_service_links"
    __table_args__ = (Index("ix_contract_service_links_service", "service_id", "contract_id"),)

    contract_id: uuid.UUID = Field(foreign_key="contracts.id", primary_key=True)
    service_id: uuid.UUID = Field(primary_key=True)
    tenant_id: uuid.UUID
