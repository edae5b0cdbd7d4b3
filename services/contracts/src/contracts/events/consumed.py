"""The events contracts consumes from identity's stream ``IDENTITY`` and assets' stream
``ASSETS`` (contracts in docs/events.md).

``identity.tenant.created``: ``data.id`` (the tenant). contracts provisions its contract roles
and its service types and categories; provisioning twice adds nothing.

``identity.party.created|updated|suspended|reactivated|deleted|restored``: the party's state;
contracts keeps only its id, tenant and whether it is deleted, at the event's ``version``, to
validate party ids (``eAttemptSaveWithMissingParties``, owners and contacts) without calling
identity.

``assets.asset.created|updated|deleted`` and ``assets.entity.created|updated|deleted``
(contract 1): ``id``, ``name``, ``suspended_at``, ``deleted_at`` at the event's ``version``, to
validate asset and entity ids (``eAttemptSaveWithMissingAssets`` / ``…Entities``); an entity's
``industry_id`` too (dynamic commercial datazones take the contracts linking it). A deleted
asset or entity is unlinked from every contract of its tenant (each a new version of the
contract). Fields not named here are ignored; a payload ``contract`` other than 1 is parked.

``iam.permissions.updated`` and ``iam.datazone.created|updated|deleted`` (contract 1, on iam's
stream ``IAM``): a user's grants and a datazone's state, kept by ``proximity.access`` (its
payloads: ``proximity.access.replica`` and ``.datazones``); a datazone change recomputes the
``datazone_ids`` of the tenant's contracts it can move (``contracts.services.territories``).

``assets.document.created|updated|deleted`` (contract 1): ``id``, ``documentable_type``,
``documentable_id`` and ``deleted`` at the event's ``version``, to validate ``media_ids``
(``eAttemptSaveWithMissingMedia``). A deleted document is kept as a tombstone, its
``deleted_at`` the event's ``occurred_at`` (the payload says only ``deleted: true``).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

TENANT_CREATED = "identity.tenant.created"
TENANTS_CONSUMER = "contracts-identity-tenants"

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
PARTIES_CONSUMER = "contracts-identity-parties"

ASSET_SUBJECTS = ("assets.asset.created", "assets.asset.updated", "assets.asset.deleted")
ASSET_FILTER = "assets.asset.*"
ASSETS_CONSUMER = "contracts-assets-assets"
ENTITY_SUBJECTS = ("assets.entity.created", "assets.entity.updated", "assets.entity.deleted")
ENTITY_FILTER = "assets.entity.*"
ENTITIES_CONSUMER = "contracts-assets-entities"
DOCUMENT_SUBJECTS = ("assets.document.created", "assets.document.updated", "assets.document.deleted")
DOCUMENT_FILTER = "assets.document.*"
DOCUMENTS_CONSUMER = "contracts-assets-documents"
GRANTS_CONSUMER = "contracts-iam-permissions"
DATAZONES_CONSUMER = "contracts-iam-datazones"
# The payload's own major (``data.contract``) assets publishes; another is parked.
ASSETS_PAYLOAD_CONTRACT = 1


class TenantCreated(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: uuid.UUID


class PartyState(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: uuid.UUID
    deleted_at: datetime | None = None


class AssetsObjectState(BaseModel):
    """An asset's or entity's state, as far as contracts reads it."""

    model_config = ConfigDict(extra="ignore")

    contract: int = ASSETS_PAYLOAD_CONTRACT
    id: uuid.UUID
    name: str = ""
    industry_id: uuid.UUID | None = None  # an entity's (an asset's payload has none)
    suspended_at: datetime | None = None
    deleted_at: datetime | None = None


class DocumentState(BaseModel):
    """A document's state, as far as contracts reads it (never its bytes or metadata)."""

    model_config = ConfigDict(extra="ignore")

    contract: int = ASSETS_PAYLOAD_CONTRACT
    id: uuid.UUID
    documentable_type: str = Field(max_length=20)
    documentable_id: uuid.UUID
    deleted: bool = False
