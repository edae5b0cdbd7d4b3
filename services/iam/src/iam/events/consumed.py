"""The events iam consumes from identity's stream ``IDENTITY`` (contracts in docs/events.md).

``identity.tenant.created``: ``data.id`` (the tenant). iam provisions its system features,
their categories and the system feature groups; provisioning twice adds nothing.

``identity.party.created|updated|suspended|reactivated|deleted|restored``: the party's state;
iam keeps its id, tenant, ``base_type`` and whether it is deleted, at the event's ``version``,
to validate owners (any live party) and user-group items (live parties of base type user).

``identity.user.created|updated``: the user's ``id``, ``party_id`` and ``deleted_at`` at the
event's ``version``, so the effective permissions of a party can name its user.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

TENANT_CREATED = "identity.tenant.created"
TENANTS_CONSUMER = "iam-identity-tenants"

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
PARTIES_CONSUMER = "iam-identity-parties"

USER_SUBJECTS = ("identity.user.created", "identity.user.updated")
# identity.user.* also carries locks, resets and second factors: the handler skips those.
USER_FILTER = "identity.user.*"
USERS_CONSUMER = "iam-identity-users"


class TenantCreated(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: uuid.UUID


class PartyState(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: uuid.UUID
    base_type: str | None = Field(default=None, max_length=50)
    deleted_at: datetime | None = None


class UserState(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: uuid.UUID
    party_id: uuid.UUID
    deleted_at: datetime | None = None
