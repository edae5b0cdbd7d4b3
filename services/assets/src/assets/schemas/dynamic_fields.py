"""Dynamic field and value bodies and views (seed 004 "Dynamic Fields")."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    StringConstraints,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from assets.domain.field_config import FieldType, ObjectType, checked_config
from assets.repositories.dynamic_fields import DynamicField, DynamicValue, FieldCounts
from assets.schemas.view_fields import sometimes_absent

MAX_VALUES = 500


class FieldIn(BaseModel):
    """The whole field. ``config`` follows its type's schema (see the field types); a non-null
    ``archived_at`` archives it at the server's time."""

    model_config = ConfigDict(extra="ignore")

    object_type: ObjectType
    label: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=150)]
    description: Annotated[str, StringConstraints(max_length=5000)] = ""
    field_type: FieldType
    config: dict[str, Any] = Field(default_factory=dict)
    archived_at: datetime | None = None

    @model_validator(mode="after")
    def _config_fits_the_type(self) -> FieldIn:
        self.config = checked_config(self.field_type, self.config)
        return self


class FieldView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID
    object_type: ObjectType
    label: str
    description: str
    field_type: FieldType
    config: dict[str, Any]
    archived_at: datetime | None
    created_at: datetime
    updated_at: datetime | None


class FieldCountsView(BaseModel):
    """Seed 004 names assets, contracts, datazones and operational groups (the text of entities'
    counts); a field's values are held on assets for objects, so those are what is counted."""

    model_config = ConfigDict(extra="forbid")

    values: int = Field(ge=0, description="Values set (not cleared) on live assets.")
    assets: int = Field(ge=0, description="Live assets holding a value of the field.")
    contracts: int = Field(ge=0, description="Contracts that are the object of one of those values.")
    layouts: int = Field(ge=0, description="Live layouts that place the field.")


class ListedFieldView(FieldView):
    stats: list[FieldCountsView] | SkipJsonSchema[None] = sometimes_absent(
        "With `include[]=counts` only: one item of totals.", max_length=1
    )


def counts_view(counts: FieldCounts) -> list[dict[str, int]]:
    """A one-item list, as entities' counts are."""
    return [
        {
            "values": counts.values,
            "assets": counts.assets,
            "contracts": counts.contracts,
            "layouts": counts.layouts,
        }
    ]


def field_view(found: DynamicField) -> dict[str, Any]:
    return {
        "id": found.id,
        "object_type": found.object_type,
        "label": found.label,
        "description": found.description,
        "field_type": found.field_type,
        "config": found.config,
        "archived_at": found.archived_at,
        "created_at": found.created_at,
        "updated_at": found.updated_at,
    }


class ValueIn(BaseModel):
    """One value: the field's value for the subject (an asset) and an object of the field's type.
    ``value`` is checked against the field's type and config; null clears it."""

    model_config = ConfigDict(extra="ignore")

    field_id: uuid.UUID
    subject_type: Literal["asset"]
    subject_id: uuid.UUID
    object_type: ObjectType
    object_id: uuid.UUID
    # Each member strict: true stays a boolean, 1 an integer, "1" text; the field decides what fits.
    value: StrictBool | StrictInt | StrictStr | None = None


class ValuesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    values: list[ValueIn] = Field(min_length=1, max_length=MAX_VALUES)


class ValueView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    field_id: uuid.UUID
    subject_type: Literal["asset"]
    subject_id: uuid.UUID
    object_type: ObjectType
    object_id: uuid.UUID
    value: str | int | bool | None
    updated_by: uuid.UUID | None
    updated_at: datetime


def value_view(found: DynamicValue) -> dict[str, Any]:
    return {
        "field_id": found.field_id,
        "subject_type": found.subject_type,
        "subject_id": found.subject_id,
        "object_type": found.object_type,
        "object_id": found.object_id,
        "value": found.value,
        "updated_by": found.updated_by,
        "updated_at": found.updated_at,
    }
