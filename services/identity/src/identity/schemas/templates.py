"""Request body of ``POST /templates`` (an administrator's addition; the seed only lists), and
the template and template type as answers."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

TemplateStatus = Literal["active", "draft", "archived"]


class TemplateWrite(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str = Field(min_length=1, max_length=150)
    type_id: uuid.UUID
    status: TemplateStatus = "active"


class TemplateView(BaseModel):
    id: uuid.UUID
    name: str
    type_id: uuid.UUID
    status: TemplateStatus
    locations: int = Field(description="How many locations use the template.")
    created_at: datetime
    updated_at: datetime | None
    deleted_at: datetime | None
    permissions: list[str] = Field(
        default_factory=list,
        alias="__permissions__",
        description="What the caller may do with it (``template.*``); absent for a system administrator.",
    )


class TemplateTypeView(BaseModel):
    id: uuid.UUID
    key: str = Field(description="Names the type in ``GET /templates?type=``.")
    name: str
