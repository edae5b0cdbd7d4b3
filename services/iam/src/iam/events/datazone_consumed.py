"""The events iam consumes for its datazones, from assets' stream ``ASSETS`` and contracts'
stream ``CONTRACTS`` (contracts in docs/events.md); either stream may not exist yet, and the
consumers wait for it.

``assets.entity.created|updated|deleted`` (contract 1): ``id``, ``industry_id`` and
``deleted_at``; ``assets.industry.created|updated|deleted`` (contract 1): ``id`` and
``deleted_at``; ``contracts.contract.created|updated|deleted`` (contract 1): ``id`` and
``deleted_at``. Each kept at the event's ``version`` to validate a datazone's ``entity_ids``,
``industry_ids`` and ``contract_ids`` without calling assets or contracts. Fields not named
here are ignored; a payload ``contract`` other than 1 is parked."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict

ENTITY_SUBJECTS = ("assets.entity.created", "assets.entity.updated", "assets.entity.deleted")
ENTITY_FILTER = "assets.entity.*"
ENTITIES_CONSUMER = "iam-assets-entities"
INDUSTRY_SUBJECTS = ("assets.industry.created", "assets.industry.updated", "assets.industry.deleted")
INDUSTRY_FILTER = "assets.industry.*"
INDUSTRIES_CONSUMER = "iam-assets-industries"
CONTRACT_SUBJECTS = ("contracts.contract.created", "contracts.contract.updated", "contracts.contract.deleted")
CONTRACT_FILTER = "contracts.contract.*"
CONTRACTS_CONSUMER = "iam-contracts-contracts"
# The payload's own major (``data.contract``) assets and contracts publish; another is parked.
PAYLOAD_CONTRACT = 1


class ReferencedState(BaseModel):
    """An industry's or contract's state, as far as iam reads it."""

    model_config = ConfigDict(extra="ignore")

    contract: int = PAYLOAD_CONTRACT
    id: uuid.UUID
    deleted_at: datetime | None = None


class EntityState(ReferencedState):
    industry_id: uuid.UUID | None = None
