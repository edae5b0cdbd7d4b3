"""Bodies of ``PATCH /parties/{id}/favorites`` (at most 50 favorites per request) and the
favorites as the API shows them."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, RootModel

from identity.domain.favorites import MAX_PER_REQUEST, Category, Kind


class FavoriteIn(BaseModel):
    party_id: uuid.UUID
    item_id: uuid.UUID
    type: Kind
    category: Category
    deleted_at: datetime | None = None


class FavoritesBody(BaseModel):
    data: list[FavoriteIn] = Field(max_length=MAX_PER_REQUEST)


class FavoriteView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    party_id: uuid.UUID
    item_id: uuid.UUID
    category: Category
    type: Kind


class FavoriteChangeView(FavoriteView):
    deleted_at: datetime | None = Field(
        description="When the favorite was removed (the server's time); null when it was added."
    )


class FavoriteChangesView(RootModel[list[FavoriteChangeView]]):
    """The favorites of the request as applied, in the request's order."""
