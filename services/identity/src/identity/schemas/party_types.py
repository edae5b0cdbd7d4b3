"""The catalogues parties refer to, as ``GET /parties/~/types`` and ``GET /jobtitles`` show them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class PartyTypeView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID
    name: str
    description: str | None
    base_type: Literal["user", "contact"] = Field(
        description="`user`: parties of this type can have a user who signs in; `contact`: on record only."
    )
    created_at: datetime


class JobTitleView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID
    name: str
    created_at: datetime
    archived_at: datetime | None
