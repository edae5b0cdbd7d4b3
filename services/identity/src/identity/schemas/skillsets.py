"""Request body of ``POST /skillsets`` and ``PUT /skillsets/{id}`` (the whole object), and the
skillset as the API shows it."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class SkillSetWrite(BaseModel):
    # Read-only fields a client echoes back (id, created_at, __permissions__) are ignored:
    # the id is taken from the URL only.
    model_config = ConfigDict(extra="ignore")

    name: str = Field(min_length=1, max_length=150)
    description: str = Field(max_length=5000)
    suspended_at: AwareDatetime | None = None
    type_id: uuid.UUID | None = None
    category_id: uuid.UUID | None = None


class SkillSetView(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: uuid.UUID
    name: str
    description: str
    type_id: uuid.UUID | None
    category_id: uuid.UUID | None
    suspended_at: datetime | None
    created_at: datetime
    updated_at: datetime | None
    deleted_at: datetime | None = Field(description="Set only on a deleted skillset named in `ids[]`.")
    permissions: list[str] = Field(
        default_factory=list,
        alias="__permissions__",
        description="The caller's `skillset.*` permissions; absent for a system administrator.",
    )
