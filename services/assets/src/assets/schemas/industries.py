"""The industry's body (seed 004 "CREATE an Industry", "UPDATE an Industry") and its view."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints

from assets.repositories.industries import Industry


class IndustryIn(BaseModel):
    """The whole industry; a non-null ``archived_at`` archives it at the server's time."""

    model_config = ConfigDict(extra="ignore")

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=150)]
    archived_at: datetime | None = None


class IndustryView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID
    name: str
    created_at: datetime
    updated_at: datetime | None
    archived_at: datetime | None


def industry_view(found: Industry) -> dict[str, Any]:
    return {
        "id": found.id,
        "name": found.name,
        "created_at": found.created_at,
        "updated_at": found.updated_at,
        "archived_at": found.archived_at,
    }
