"""What ``/parties/{id}/users/settings`` answers (its bodies are in ``party_users``)."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class KeyValView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str
    val: str


class UserSettingsView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID = Field(description="The caller's party id.")
    settings: list[KeyValView] = Field(description="Sorted by key.")
    application_state: Any = Field(
        description="Legacy state, any JSON value as last saved; null when never saved."
    )
