"""Entity types and roles as ``/entities/~/types`` and ``/entities/~/roles`` show them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from assets.repositories.entity_catalogues import EntityRole, EntityType


class EntityTypeView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID
    name: str
    description: str | None
    base_type: Literal["client", "vendor"]
    created_at: datetime


class EntityRoleView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID
    name: str
    description: str | None
    type: Literal["contact", "owner"]
    created_at: datetime


def entity_type_view(found: EntityType) -> dict[str, Any]:
    return {
        "id": found.id,
        "name": found.name,
        "description": found.description,
        "base_type": found.base_type,
        "created_at": found.created_at,
    }


def entity_role_view(found: EntityRole) -> dict[str, Any]:
    return {
        "id": found.id,
        "name": found.name,
        "description": found.description,
        "type": found.type,
        "created_at": found.created_at,
    }
