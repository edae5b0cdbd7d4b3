"""Tables of the people area beside ``parties``: party types, job titles, and the replica of
iam's group memberships that ``GET /parties?group_id=`` filters on."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Column, DateTime, UniqueConstraint
from sqlmodel import Field, SQLModel

from identity.repositories.tables import now


class PartyType(SQLModel, table=True):
    """A tenant's kind of party, over one of the two base types (user | contact)."""

    __tablename__ = "party_types"
    __table_args__ = (UniqueConstraint("tenant_id", "name", name="uq_party_types_tenant_name"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID = Field(foreign_key="tenants.id", index=True)
    name: str = Field(max_length=150)
    description: str | None = Field(default=None, max_length=5000)
    base_type: str = Field(max_length=20)
    created_at: datetime = Field(
        default_factory=now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class JobTitle(SQLModel, table=True):
    __tablename__ = "job_titles"
    __table_args__ = (UniqueConstraint("tenant_id", "name", name="uq_job_titles_tenant_name"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID = Field(foreign_key="tenants.id", index=True)
    name: str = Field(max_length=150)
    created_at: datetime = Field(
        default_factory=now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    archived_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


class PartyGroupMembership(SQLModel, table=True):
    """Replica of iam's user-group memberships (iam owns groups). Filled by iam's events once
    that context publishes them; until then it is empty, so a ``group_id`` filter matches no one."""

    __tablename__ = "party_group_memberships"

    group_id: uuid.UUID = Field(primary_key=True)
    party_id: uuid.UUID = Field(primary_key=True, foreign_key="parties.id", index=True)
    tenant_id: uuid.UUID = Field(foreign_key="tenants.id", index=True)
