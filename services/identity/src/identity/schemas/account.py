"""Request body of ``PATCH /account``: ``{"name"}``, or seed 000's JSON:API form
``{"data": {"type": "account", "attributes": {"name"}}}``."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Attributes(BaseModel):
    name: str = Field(min_length=1, max_length=150)


class _Resource(BaseModel):
    model_config = ConfigDict(extra="ignore")

    type: Literal["account"] = "account"
    attributes: _Attributes


class AccountWrite(BaseModel):
    model_config = ConfigDict(extra="ignore")

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
