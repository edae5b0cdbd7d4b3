"""Contract roles as ``/contracts/~/roles`` shows them (seed 004 "Type: Contract Role")."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from contracts.repositories.contract_roles import ContractRole


class ContractRoleView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID
    name: str
    description: str | None
    type: Literal["contact", "owner"]
    created_at: datetime


def contract_role_view(found: ContractRole) -> dict[str, Any]:
    return {
        "id": found.id,
        "name": found.name,
        "description": found.description,
        "type": found.type,
        "created_at": found.created_at,
    }
