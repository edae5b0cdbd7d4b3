"""``POST /entities/~/actions/assign_service`` (seed 004 "BATCH Assign Service to Entities")."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict, Field

from assets.schemas.assets import MAX_LINKED


class ServiceAssignment(BaseModel):
    """One service added to the entities of ``push`` and removed from those of ``pull``."""

    model_config = ConfigDict(extra="forbid")

    service_id: uuid.UUID
    push: list[uuid.UUID] = Field(max_length=MAX_LINKED)
    pull: list[uuid.UUID] = Field(max_length=MAX_LINKED)
