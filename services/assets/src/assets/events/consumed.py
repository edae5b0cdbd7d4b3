"""The events assets consumes from identity's stream ``IDENTITY`` and contracts' stream
``CONTRACTS`` (contracts in docs/events.md).

``identity.tenant.created``: ``data.id`` (the tenant). assets provisions its standard asset
type catalogue for the tenant; provisioning twice adds nothing.

``identity.party.created|updated|suspended|reactivated|deleted|restored``: the party's state;
assets keeps only its id, tenant and whether it is deleted (``data.deleted_at``), at the
event's ``version``, to validate party ids (``eAttemptSaveWithMissingParties``) without
calling identity. Fields not named here are ignored.

``contracts.contract.created|updated|deleted`` (contract 1): the contract's whole state at the
event's ``version``: ``id``, ``name``, ``suspended_at``, ``deleted_at`` and its links
``asset_ids``, ``entity_ids`` (and ``party_ids``, ``service_ids``, which assets does not read).
assets keeps which assets and entities each contract links, for ``contract_ids``, the
``contract_id`` filters and the contract counts; a deleted contract links nothing.

``iam.permissions.updated`` and ``iam.datazone.created|updated|deleted`` (contract 1, on iam's
stream ``IAM``): a user's grants and a datazone's state, kept by ``proximity.access`` (its
payloads: ``proximity.access.replica`` and ``.datazones``); a datazone change recomputes the
``datazone_ids`` of the tenant's assets and entities (``assets.services.territories``).

``contracts.service.created|updated|deleted`` (contract 1): ``id``, ``name``, ``type``,
``suspended_at``, ``deleted_at``; assets keeps id, tenant and state to validate service ids
(``eAttemptSaveWithMissingServices`` for unknown or deleted ones).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

TENANT_CREATED = "identity.tenant.created"
TENANTS_CONSUMER = "assets-identity-tenants"

PARTY_SUBJECTS = (
    "identity.party.created",
    "identity.party.updated",
    "identity.party.suspended",
    "identity.party.reactivated",
    "identity.party.deleted",
    "identity.party.restored",
)
# One durable consumer over every party subject, so one party's events arrive in order.
PARTY_FILTER = "identity.party.*"
PARTIES_CONSUMER = "assets-identity-parties"


class TenantCreated(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: uuid.UUID


class PartyState(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: uuid.UUID
    deleted_at: datetime | None = None


CONTRACT_SUBJECTS = (
    "contracts.contract.created",
    "contracts.contract.updated",
    "contracts.contract.deleted",
)
# One durable consumer per aggregate kind over all its subjects, so one contract's (or one
# service's) events arrive in order.
CONTRACT_FILTER = "contracts.contract.*"
CONTRACTS_CONSUMER = "assets-contracts-contracts"
SERVICE_SUBJECTS = (
    "contracts.service.created",
    "contracts.service.updated",
    "contracts.service.deleted",
)
SERVICE_FILTER = "contracts.service.*"
GRANTS_CONSUMER = "assets-iam-permissions"
DATAZONES_CONSUMER = "assets-iam-datazones"
SERVICES_CONSUMER = "assets-contracts-services"
# The payload's own major (``data.contract``); another major is parked, never misapplied.
CONTRACTS_PAYLOAD_CONTRACT = 1


class ContractPayload(BaseModel):
    model_config = ConfigDict(extra="ignore")

    contract: int = CONTRACTS_PAYLOAD_CONTRACT
    id: uuid.UUID
    name: str = ""
    suspended_at: datetime | None = None
    deleted_at: datetime | None = None
    asset_ids: list[uuid.UUID] = Field(default_factory=list)
    entity_ids: list[uuid.UUID] = Field(default_factory=list)
    party_ids: list[uuid.UUID] = Field(default_factory=list)
    service_ids: list[uuid.UUID] = Field(default_factory=list)


class ServicePayload(BaseModel):
    model_config = ConfigDict(extra="ignore")

    contract: int = CONTRACTS_PAYLOAD_CONTRACT
    id: uuid.UUID
    name: str = ""
    type: str | None = None
    suspended_at: datetime | None = None
    deleted_at: datetime | None = None
