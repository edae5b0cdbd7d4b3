"""Bodies of the party-user endpoints (seed 004 "Type: User", "Type: Party Identity",
"Type: Party Settings") and the models documenting what they answer. Read-only fields a
client echoes back (id, names, email, last_signin, created_at, updated_at) are ignored."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, StrictBool, model_validator

from identity.domain.party_users import IDENTITY_KINDS
from identity.domain.user_settings import DOCUMENTED
from identity.schemas.view_fields import listed_in_document

MAX_BATCH = 100


class PartyIdentityIn(BaseModel):
    # Another kind is the use case's eIdentityNotValid.
    type: str = Field(json_schema_extra=listed_in_document(IDENTITY_KINDS))
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

    data: list[Any] = Field(min_length=1, max_length=MAX_BATCH)


class UserBatchRow(BaseModel):
    id: uuid.UUID
    suspended_at: datetime | None = None


class KeyVal(BaseModel):
    # Another key is the use case's eSettingKeyNotFound.
    key: str = Field(max_length=150, json_schema_extra=listed_in_document(DOCUMENTED))
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


class PartyIdentityView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: str = Field(description="`email` or `desktop_id`.")
    value: str


class PartyUserView(BaseModel):
    """A party's user on the list: ``id`` is the party's id; names and email are the party's."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: uuid.UUID
    first_name: str
    last_name: str | None
    email: str | None
    username: str | None
    system_admin: bool
    allow_sso: bool
    allow_otp: bool
    last_signin: datetime | None
    suspended_at: datetime | None
    permissions: list[Literal["users.view", "users.update"]] = Field(
        default_factory=list,
        alias="__permissions__",
        description="What the caller may do with users; absent for a system administrator.",
    )


class PartyUserDetailView(PartyUserView):
    """One party's user in full: get and update."""

    identities: list[PartyIdentityView]
    created_at: datetime
    updated_at: datetime | None


class UserBatchRowView(BaseModel):
    """A row ``PATCH /parties/~/users`` applied; ``suspended_at`` only when the row gave it."""

    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID
    suspended_at: datetime | None = None
