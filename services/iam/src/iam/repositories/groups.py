"""Groups (seed 004 "Groups"): ``user`` groups hold parties of base type user, ``territory``
groups datazones, ``feature`` groups features; ``operational`` groups hold no items and inherit
groups of every type, which is how a set of users is given a set of features over a territory.

A group's own items, owners and inherit edges are rows of their own (``group_item``,
``group_owner``, ``group_inherit``), each keyed so a lookup from either side is an index scan:
"which groups hold this item / inherit this group" is what closures and filters ask."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Computed, Index, Text, text
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR
from sqlmodel import Field, SQLModel

from proximity.db.columns import stamp

# seed 004: keywords search across name and description.
GROUP_SEARCH_WORDS = "to_tsvector('simple'::regconfig, (name || ' ' || description))"


class IamGroup(SQLModel, table=True):
    __tablename__ = "iam_group"
    __table_args__ = (
        Index("ix_iam_group_search_words", "search_words", postgresql_using="gin"),
        Index(
            "ix_iam_group_list_name",
            "tenant_id",
            text("lower(name)"),
            "id",
            postgresql_where=text("deleted_at IS NULL"),
        ),
        Index("ix_iam_group_of_type", "tenant_id", "type", postgresql_where=text("deleted_at IS NULL")),
        # Provisioning finds a tenant's system groups again by name: twice adds nothing.
        Index(
            "uq_iam_group_system_name",
            "tenant_id",
            "name",
            unique=True,
            postgresql_where=text("is_system"),
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID
    name: str = Field(max_length=150)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    type: str = Field(max_length=20)
    meta: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSONB, nullable=False, server_default=text("'{}'::jsonb"))
    )
    is_system: bool = False
    version: int = 1
    suspended_at: datetime | None = stamp()
    created_at: datetime = stamp(nullable=False)
    updated_at: datetime | None = stamp()
    deleted_at: datetime | None = stamp()
    search_words: Any = Field(
        default=None,
        sa_column=Column(TSVECTOR, Computed(GROUP_SEARCH_WORDS, persisted=True), nullable=True),
        exclude=True,
    )


class GroupInherit(SQLModel, table=True):
    """``group_id`` inherits ``inherit_id``: what ``inherit_id`` holds, ``group_id`` holds too."""

    __tablename__ = "group_inherit"

    tenant_id: uuid.UUID = Field(index=True)
    group_id: uuid.UUID = Field(primary_key=True, foreign_key="iam_group.id")
    inherit_id: uuid.UUID = Field(primary_key=True, foreign_key="iam_group.id", index=True)


class GroupItem(SQLModel, table=True):
    """One of a group's own items: a party (user group), datazone (territory) or feature. Not a
    foreign key: which table it names depends on the group's type."""

    __tablename__ = "group_item"

    tenant_id: uuid.UUID = Field(index=True)
    group_id: uuid.UUID = Field(primary_key=True, foreign_key="iam_group.id")
    item_id: uuid.UUID = Field(primary_key=True, index=True)


class GroupOwner(SQLModel, table=True):
    __tablename__ = "group_owner"

    tenant_id: uuid.UUID = Field(index=True)
    group_id: uuid.UUID = Field(primary_key=True, foreign_key="iam_group.id")
    party_id: uuid.UUID = Field(primary_key=True, index=True)
