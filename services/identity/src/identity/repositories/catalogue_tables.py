"""Tables of identity's catalogues and tenant administration: skillsets and who holds them,
the tenant's configuration, templates, and client secrets.

Every tenant-owned row carries ``tenant_id``; template types are the one system catalogue.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Column, DateTime, Index
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from identity.repositories.tables import now


def _at(*, nullable: bool = True) -> Any:
    if nullable:
        return Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))
    return Field(default_factory=now, sa_column=Column(DateTime(timezone=True), nullable=False))


class SkillSetType(SQLModel, table=True):
    """What kind of skill a skillset is (seed 004 names the error ``eSkillSetTypeNotFound``)."""

    __tablename__ = "skillset_types"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID = Field(foreign_key="tenants.id", index=True)
    name: str = Field(max_length=150)
    created_at: datetime = _at(nullable=False)


class SkillSetCategory(SQLModel, table=True):
    __tablename__ = "skillset_categories"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID = Field(foreign_key="tenants.id", index=True)
    name: str = Field(max_length=150)
    created_at: datetime = _at(nullable=False)


class SkillSet(SQLModel, table=True):
    __tablename__ = "skillsets"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID = Field(foreign_key="tenants.id", index=True)
    name: str = Field(max_length=150)
    description: str = Field(max_length=5000)
    type_id: uuid.UUID | None = Field(default=None, foreign_key="skillset_types.id")
    category_id: uuid.UUID | None = Field(default=None, foreign_key="skillset_categories.id")
    version: int = 1
    created_at: datetime = _at(nullable=False)
    updated_at: datetime | None = _at()
    suspended_at: datetime | None = _at()
    deleted_at: datetime | None = _at()


class PartySkillSet(SQLModel, table=True):
    """A skillset held by a party; one row per pair, soft-deleted with ``deleted_at``."""

    __tablename__ = "party_skillsets"
    __table_args__ = (Index("ix_party_skillsets_skillset", "skillset_id"),)

    party_id: uuid.UUID = Field(foreign_key="parties.id", primary_key=True)
    skillset_id: uuid.UUID = Field(foreign_key="skillsets.id", primary_key=True)
    tenant_id: uuid.UUID = Field(foreign_key="tenants.id", index=True)
    effective_at: datetime | None = _at()
    expires_at: datetime | None = _at()
    doc_url: str | None = Field(default=None, max_length=5000)
    created_at: datetime = _at(nullable=False)
    updated_at: datetime | None = _at()
    deleted_at: datetime | None = _at()


class TenantConfig(SQLModel, table=True):
    """One section of a tenant's configuration (theme, phrasing, vocab, settings) as the list
    of entries ``GET /config`` shows; a missing row means the section's defaults."""

    __tablename__ = "tenant_config"

    tenant_id: uuid.UUID = Field(foreign_key="tenants.id", primary_key=True)
    section: str = Field(max_length=20, primary_key=True)
    entries: list[dict[str, Any]] = Field(sa_column=Column(JSONB, nullable=False))
    version: int = 1
    updated_at: datetime = _at(nullable=False)


class TemplateType(SQLModel, table=True):
    """A system catalogue (the same for every tenant): what a template is used for."""

    __tablename__ = "template_types"

    id: uuid.UUID = Field(primary_key=True)
    key: str = Field(max_length=50, unique=True)
    name: str = Field(max_length=150)


class Template(SQLModel, table=True):
    __tablename__ = "templates"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID = Field(foreign_key="tenants.id", index=True)
    type_id: uuid.UUID = Field(foreign_key="template_types.id")
    name: str = Field(max_length=150)
    status: str = Field(default="active", max_length=20)
    # How many locations use the template; kept for the documented ``locations`` sort.
    locations: int = 0
    created_at: datetime = _at(nullable=False)
    updated_at: datetime | None = _at()
    deleted_at: datetime | None = _at()


class ClientSecret(SQLModel, table=True):
    """The secret of seed 000's client credentials (``client_id`` is the client's id), stored
    as SHA-256: it is 256 random bits, so a slow hash adds nothing."""

    __tablename__ = "client_secrets"

    client_id: uuid.UUID = Field(foreign_key="clients.id", primary_key=True)
    tenant_id: uuid.UUID = Field(foreign_key="tenants.id", index=True)
    secret_hash: str = Field(max_length=64)
    created_at: datetime = _at(nullable=False)
