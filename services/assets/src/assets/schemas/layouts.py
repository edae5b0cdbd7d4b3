"""Layout bodies and views (seed 004 "Layouts")."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic.json_schema import SkipJsonSchema

from assets.domain.field_config import ObjectType
from assets.repositories.layouts import Layout
from assets.schemas.dynamic_fields import FieldView
from assets.schemas.view_fields import sometimes_absent

ItemType = Literal["field", "contractExpiry", "skillsets", "summary"]


class ItemIn(BaseModel):
    """``field`` needs its ``field_id``; every other item type must have none."""

    model_config = ConfigDict(extra="forbid")

    item_type: ItemType
    field_id: uuid.UUID | None = None

    @model_validator(mode="after")
    def _field_only_for_fields(self) -> ItemIn:
        if (self.item_type == "field") != (self.field_id is not None):
            raise ValueError("field_id is required for a 'field' item and must be null for any other")
        return self


class CardIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Annotated[str, StringConstraints(min_length=1, max_length=150)]
    description: Annotated[str, StringConstraints(max_length=5000)] = ""
    items: list[ItemIn] = Field(default_factory=list, max_length=200)


class LayoutIn(BaseModel):
    """The whole layout. ``is_default`` must be false on create (defaults are the system's) and
    cannot change on replace."""

    model_config = ConfigDict(extra="ignore")

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=150)]
    description: Annotated[str, StringConstraints(max_length=5000)] = ""
    subject_id: Literal["asset"] = "asset"
    object_id: ObjectType
    industry_ids: list[uuid.UUID] = Field(default_factory=list, max_length=500)
    is_default: bool = False
    cards: list[CardIn] = Field(default_factory=list, max_length=50)


class ItemView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    item_type: ItemType
    field_id: uuid.UUID | None


class CardView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str
    description: str
    items: list[ItemView]


class LayoutView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID
    name: str
    description: str
    subject_id: Literal["asset"]
    object_id: ObjectType
    industry_ids: list[uuid.UUID]
    is_default: bool
    cards: list[CardView]
    created_at: datetime
    updated_at: datetime | None
    fields: list[FieldView] | SkipJsonSchema[None] = sometimes_absent(
        "With `for_asset_id` only: the fields the layout's items name."
    )


def layout_view(found: Layout, industry_ids: list[uuid.UUID]) -> dict[str, Any]:
    return {
        "id": found.id,
        "name": found.name,
        "description": found.description,
        "subject_id": found.subject_type,
        "object_id": found.object_type,
        "industry_ids": industry_ids,
        "is_default": found.is_default,
        "cards": found.cards,
        "created_at": found.created_at,
        "updated_at": found.updated_at,
    }
