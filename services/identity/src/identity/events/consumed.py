"""The events identity consumes: contracts other contexts publish, and the consumers.

``iam.permissions.updated`` (contract version 1), on iam's stream ``IAM``::

    envelope: tenant_id (required), aggregate_id (the user's party), version (iam's
              version of that user's effective permissions: a lower one arriving late is
              ignored)
    data:     {"contract": 1,                       # this contract's version
               "party_id": uuid, "user_id": uuid,   # at least one of the two
               "permissions": [{"op_group_id": uuid | null,
                                "permissions": ["assets.view", ...],
                                "datazone_ids": [uuid, ...] | null}]}

``op_group_id`` null: permissions given to the user directly, not through an operational
group. ``datazone_ids`` is where the group's tags reach: null (or absent) the whole tenant,
``[]`` no object at all; identity keeps it with the entry but decides nothing by it (the
services owning the objects do), so the token's ``perms`` are every entry's tags. The list is
the user's whole effective set (an empty list removes everything).
Fields this contract does not name are ignored: a later version may only add fields; a
change that breaks readers of version 1 gets a new subject.
"""

from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict, Field, model_validator

PERMISSIONS_UPDATED = "iam.permissions.updated"
PERMISSIONS_CONTRACT_VERSION = 1
PERMISSIONS_CONSUMER = "identity-iam-permissions"


class OperationalGroupPermissions(BaseModel):
    model_config = ConfigDict(extra="ignore")

    op_group_id: uuid.UUID | None = None
    permissions: list[str] = Field(max_length=1000)
    datazone_ids: list[uuid.UUID] | None = Field(default=None, max_length=100_000)


class PermissionsUpdated(BaseModel):
    model_config = ConfigDict(extra="ignore")

    contract: int = PERMISSIONS_CONTRACT_VERSION
    party_id: uuid.UUID | None = None
    user_id: uuid.UUID | None = None
    permissions: list[OperationalGroupPermissions] = Field(max_length=1000)

    @model_validator(mode="after")
    def _names_someone(self) -> PermissionsUpdated:
        if self.party_id is None and self.user_id is None:
            raise ValueError("party_id or user_id is required")
        return self
