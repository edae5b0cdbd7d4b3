"""The asset type as ``GET /assets/~/types`` shows it (seed 004 "Type: Asset Type")."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from assets.repositories.asset_types import AssetType


class AssetTypeConfigView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    require_parent: bool
    allow_parents: list[uuid.UUID]
    can_inherit: bool
    permit_address: bool
    permit_geo: bool
    geo_update_freq: int | None
    is_container: bool
    is_system: bool


class AssetTypeView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID
    name: str
    config: AssetTypeConfigView
    created_at: datetime
    updated_at: datetime | None
    deleted_at: datetime | None


def asset_type_view(found: AssetType) -> dict[str, Any]:
    return {
        "id": found.id,
        "name": found.name,
        "config": {
            "require_parent": found.require_parent,
            "allow_parents": found.allow_parents,
            "can_inherit": found.can_inherit,
            "permit_address": found.permit_address,
            "permit_geo": found.permit_geo,
            "geo_update_freq": found.geo_update_freq,
            "is_container": found.is_container,
            "is_system": found.is_system,
        },
        "created_at": found.created_at,
        "updated_at": found.updated_at,
        "deleted_at": found.deleted_at,
    }
