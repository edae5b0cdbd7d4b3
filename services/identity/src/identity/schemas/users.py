"""What ``GET /users/me`` answers."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict, Field

from identity.schemas.user_settings import KeyValView


class PermissionGroupView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    op_group_id: uuid.UUID | None = Field(
        description="The operational group granting these; null: granted to a user group directly."
    )
    permissions: list[str]


class CurrentUserView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    party_id: uuid.UUID = Field(description="The caller's party id (not the user id).")
    permissions: list[PermissionGroupView] = Field(
        description="As iam last published them; empty until it has."
    )
    settings: list[KeyValView] = Field(description="The user's settings, sorted by key.")
