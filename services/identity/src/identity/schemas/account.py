"""Request body of ``PATCH /account``: ``{"name"}``, or seed 000's JSON:API form
``{"data": {"type": "account", "attributes": {"name"}}}``; the account as both answer."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Attributes(BaseModel):
    name: str = Field(min_length=1, max_length=150)


class _Resource(BaseModel):
    model_config = ConfigDict(extra="ignore")

    type: Literal["account"] = "account"
    attributes: _Attributes


class AccountWrite(BaseModel):
    # The validator below (exactly one of the two given, not null), for the document.
    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={
            "oneOf": [
                {"required": ["name"], "properties": {"name": {"type": "string"}}},
                {"required": ["data"], "properties": {"data": {"type": "object"}}},
            ]
        },
    )

    name: str | None = Field(default=None, min_length=1, max_length=150)
    data: _Resource | None = None

    @model_validator(mode="after")
    def _one_name(self) -> AccountWrite:
        if (self.name is None) == (self.data is None):
            raise ValueError("give either name or data.attributes.name")
        return self

    @property
    def new_name(self) -> str:
        return self.name if self.name is not None else self.data.attributes.name  # type: ignore[union-attr]


class AccountView(BaseModel):
    """The caller's tenant. Seed 000's ``data.attributes.name`` is ``data.name`` here."""

    id: uuid.UUID
    type: Literal["account"]
    name: str
    created_at: datetime
    updated_at: datetime | None
