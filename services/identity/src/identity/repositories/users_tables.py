"""Tables of a party's user beyond login: its login options, settings, favorites, and the
replica of the permissions iam computes for it.

The login options live beside ``users`` rather than in it so the users table stays the
authentication flows' own; every row carries ``tenant_id`` like every tenant-owned row.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Column, PrimaryKeyConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from identity.repositories.tables import _at


class UserLoginOptions(SQLModel, table=True):
    """Seed 004 "Type: User" fields the users table does not hold: username and SSO."""

    __tablename__ = "user_login_options"

    user_id: uuid.UUID = Field(foreign_key="users.id", primary_key=True)
    tenant_id: uuid.UUID = Field(foreign_key="tenants.id", index=True)
    username: str | None = Field(default=None, max_length=45)
    allow_sso: bool = False


class UserSettings(SQLModel, table=True):
    """A user's settings (documented keys only) and the legacy ``application_state``."""

    __tablename__ = "user_settings"

    user_id: uuid.UUID = Field(foreign_key="users.id", primary_key=True)
    tenant_id: uuid.UUID = Field(foreign_key="tenants.id", index=True)
    # key → val, both strings (seed 004 "Type: Key Value").
    settings: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))
    application_state: Any = Field(default=None, sa_column=Column(JSONB, nullable=True))
    version: int = 1
    updated_at: datetime | None = _at()


class Favorite(SQLModel, table=True):
    """An item a party pinned or favourited; removing one deletes the row (seed: it is
    omitted from every later lookup)."""

    __tablename__ = "favorites"
    __table_args__ = (PrimaryKeyConstraint("party_id", "category", "type", "item_id"),)

    party_id: uuid.UUID = Field(foreign_key="parties.id")
    category: str = Field(max_length=20)  # heatmap | entity
    type: str = Field(max_length=20)  # pin | favorite
    item_id: uuid.UUID
    tenant_id: uuid.UUID = Field(foreign_key="tenants.id", index=True)
    created_at: datetime = _at(nullable=False)


class EffectivePermissions(SQLModel, table=True):
    """Replica of iam's effective permissions of one party's user, grouped by operational
    group: ``[{"op_group_id": str | None, "permissions": [str], "datazone_ids": [str] | None}]``
    (``datazone_ids`` null: the whole tenant). Written only by the ``iam.permissions.updated``
    consumer; ``version`` is iam's, so a late older state loses."""

    __tablename__ = "effective_permissions"

    party_id: uuid.UUID = Field(foreign_key="parties.id", primary_key=True)
    tenant_id: uuid.UUID = Field(foreign_key="tenants.id", index=True)
    groups: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSONB, nullable=False))
    version: int
    event_id: uuid.UUID
    updated_at: datetime = _at(nullable=False)
