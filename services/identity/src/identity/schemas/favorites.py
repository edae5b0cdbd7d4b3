"""Bodies of ``PATCH /parties/{id}/favorites`` (at most 50 favorites per request)."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from identity.domain.favorites import MAX_PER_REQUEST, Category, Kind


class FavoriteIn(BaseModel):
    party_id: uuid.UUID
    item_id: uuid.UUID
    type: Kind
    category: Category
    deleted_at: datetime | None = None


class FavoritesBody(BaseModel):
    data: list[FavoriteIn] = Field(max_length=MAX_PER_REQUEST)
