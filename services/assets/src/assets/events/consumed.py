"""The events assets consumes from identity's stream ``IDENTITY`` (contracts in docs/events.md).

``identity.tenant.created``: ``data.id`` (the tenant). assets provisions its standard asset
type catalogue for the tenant; provisioning twice adds nothing.

``identity.party.created|updated|suspended|reactivated|deleted|restored``: the party's state;
assets keeps only its id, tenant and whether it is deleted (``data.deleted_at``), at the
event's ``version``, to validate party ids (``eAttemptSaveWithMissingParties``) without
calling identity. Fields not named here are ignored.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict

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
