"""Features and their categories as the API shows them (seed 004 "Features")."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from iam.repositories.features import Feature, FeatureCategory


class FeatureView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID
    name: str
    permission: str
    category_id: uuid.UUID | None
    is_system: bool
    created_at: datetime
    updated_at: datetime | None
    deleted_at: datetime | None


class FeatureCategoryView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID
    name: str
    sys_name: str
    parent_id: uuid.UUID | None


def feature_view(found: Feature) -> dict[str, Any]:
    return {
        "id": found.id,
        "name": found.name,
        "permission": found.permission,
        "category_id": found.category_id,
        "is_system": found.is_system,
        "created_at": found.created_at,
        "updated_at": found.updated_at,
        "deleted_at": found.deleted_at,
    }


def category_view(found: FeatureCategory) -> dict[str, Any]:
    return {"id": found.id, "name": found.name, "sys_name": found.sys_name, "parent_id": found.parent_id}
