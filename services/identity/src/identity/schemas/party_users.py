"""Bodies of the party-user endpoints (seed 004 "Type: User", "Type: Party Identity",
"Type: Party Settings"). Read-only fields a client echoes back (id, names, email,
last_signin, created_at, updated_at) are ignored."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import AliasChoices, BaseModel, Field, StrictBool, model_validator

MAX_BATCH = 100


class PartyIdentityIn(BaseModel):
    type: str
    # The seed's example names the field ``value``, its type table ``identity``: both are read.
    value: str = Field(validation_alias=AliasChoices("value", "identity"))


class PartyUserIn(BaseModel):
    """``PUT /parties/{id}/users``: the whole user."""

    username: str | None = Field(default=None, max_length=45)
    system_admin: StrictBool
    allow_sso: StrictBool
    allow_otp: StrictBool
    identities: list[PartyIdentityIn] = Field(max_length=50)
    suspended_at: datetime | None = None


class UsersBatch(BaseModel):
    """``PATCH /parties/~/users``: rows are checked one by one so one bad row fails alone."""

    data: list[Any] = Field(max_length=MAX_BATCH)


class UserBatchRow(BaseModel):
    id: uuid.UUID
    suspended_at: datetime | None = None


class KeyVal(BaseModel):
    key: str = Field(max_length=150)
    val: str = Field(max_length=500)


class UserSettingsIn(BaseModel):
    id: uuid.UUID
    settings: list[KeyVal] = Field(max_length=50)
    application_state: Any = None
    # Documented as accepted; settings cannot be suspended, so it has no effect.
    suspended_at: datetime | None = None


class UserSettingsBody(BaseModel):
    """``PATCH /parties/{id}/users/settings``: the seed wraps the object in ``data``; a bare
    object is accepted too."""

    data: UserSettingsIn

    @model_validator(mode="before")
    @classmethod
    def _wrapped(cls, raw: Any) -> Any:
        if isinstance(raw, dict) and "data" not in raw:
            return {"data": raw}
        return raw
