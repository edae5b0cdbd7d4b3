"""``POST /entities/~/actions/assign_contract`` (seed 004 "BATCH Assign Contract to Entities")."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict, Field

from contracts.schemas.contracts import MAX_LINKED


class ContractAssignment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    contract_id: uuid.UUID
    push: list[uuid.UUID] = Field(max_length=MAX_LINKED, description="Entities to link the contract to.")
    pull: list[uuid.UUID] = Field(max_length=MAX_LINKED, description="Entities to unlink it from.")
