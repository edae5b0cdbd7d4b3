"""Request body of ``POST /skillsets`` and ``PUT /skillsets/{id}`` (the whole object)."""

from __future__ import annotations

import uuid

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
