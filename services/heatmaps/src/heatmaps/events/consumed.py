"""The events heatmaps consumes (heatmaps in docs/events.md).

``identity.party.created|updated|suspended|reactivated|deleted|restored`` (stream
``IDENTITY``): the party's id, tenant and whether it is deleted, at the event's ``version``,
to validate ``owner_ids`` (``eOwnerNotFound``) without calling identity.

``iam.group.created|updated|deleted`` (contract 1, stream ``IAM``): ``id``, ``type`` and
whether deleted, to validate ``group_ids`` (``eGroupNotFound``) and count a heatmap's groups
by type (``stats``, the ``total_*_groups`` sorts).

``assets.field.created|updated|deleted`` (contract 1, stream ``ASSETS``): ``id``,
``object_type``, ``field_type``, the number's ``config.scalefactor``, ``archived_at`` and
``deleted_at``, to validate a metric's ``field_id`` (``eInvalidMetricField``).

``iam.permissions.updated`` and ``iam.datazone.*`` (contract 1, stream ``IAM``): a user's
grants and a datazone's state, kept by ``proximity.access`` (its payloads:
``proximity.access.replica`` and ``.datazones``). Nothing is recomputed when a datazone
changes: a query places its points in the tenant's zones in memory.

Fields not named here are ignored; a payload ``contract`` other than 1 is parked.
"""

from __future__ import annotations

import math
import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

PARTY_SUBJECTS = (
    "identity.party.created",
    "identity.party.updated",
    "identity.party.suspended",
    "identity.party.reactivated",
    "identity.party.deleted",
    "identity.party.restored",
)
# One durable consumer over every subject of an aggregate, so its events arrive in order.
PARTY_FILTER = "identity.party.*"
PARTIES_CONSUMER = "heatmaps-identity-parties"

GROUP_SUBJECTS = ("iam.group.created", "iam.group.updated", "iam.group.deleted")
GROUP_FILTER = "iam.group.*"
GROUPS_CONSUMER = "heatmaps-iam-groups"

FIELD_SUBJECTS = ("assets.field.created", "assets.field.updated", "assets.field.deleted")
FIELD_FILTER = "assets.field.*"
FIELDS_CONSUMER = "heatmaps-assets-fields"

GRANTS_CONSUMER = "heatmaps-iam-permissions"
DATAZONES_CONSUMER = "heatmaps-iam-datazones"

# The payload's own major (``data.contract``) iam and assets publish; another is parked.
PAYLOAD_CONTRACT = 1


class PartyState(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: uuid.UUID
    deleted_at: datetime | None = None


class GroupState(BaseModel):
    """A group's state, as far as heatmaps reads it (never its items)."""

    model_config = ConfigDict(extra="ignore")

    contract: int = PAYLOAD_CONTRACT
    id: uuid.UUID
    type: str = Field(max_length=20)
    deleted_at: datetime | None = None


class FieldState(BaseModel):
    """A dynamic field's state, as far as heatmaps reads it."""

    model_config = ConfigDict(extra="ignore")

    contract: int = PAYLOAD_CONTRACT
    id: uuid.UUID
    object_type: str = Field(max_length=40)
    field_type: str = Field(max_length=40)
    config: dict[str, Any] | None = None
    archived_at: datetime | None = None
    deleted_at: datetime | None = None

    def scalefactor(self) -> float | None:
        """The number's scale factor, when its config gives a usable one."""
        found = (self.config or {}).get("scalefactor")
        if isinstance(found, bool) or not isinstance(found, int | float):
            return None
        try:
            scale = float(found)
        except OverflowError:  # an integer beyond a double
            return None
        return scale if math.isfinite(scale) else None
