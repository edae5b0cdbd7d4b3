"""The internal link API's bodies and answer (docs/internal-api.md)."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict, Field

from contracts.schemas.contracts import MAX_LINKED


class LinksReplacement(BaseModel):
    model_config = ConfigDict(extra="forbid")

    contract_ids: list[uuid.UUID] = Field(max_length=MAX_LINKED)


class LinkChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    assign: uuid.UUID | None = None
    unassign: uuid.UUID | None = None


class LinkVersionView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    contract_id: uuid.UUID
    linked: bool
    version: int = Field(ge=1, description="The contract's version after the write.")


class ObjectLinksView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    object_id: uuid.UUID
    contract_ids: list[uuid.UUID] = Field(
        description="Every contract linking the object after the write, sorted."
    )
    links: list[LinkVersionView]
