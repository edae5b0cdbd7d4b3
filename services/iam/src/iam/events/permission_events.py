"""``iam.permissions.updated`` (contract 1): one user's whole effective set, at iam's version
of that user (docs/events.md). ``datazone_ids`` null: the group's tags reach the whole tenant;
``[]``: it has territory but no live datazone, so it reaches no object."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from iam.domain.effective_permissions import Entry
from proximity.events.envelope import Event

PERMISSIONS_UPDATED = "iam.permissions.updated"
PERMISSIONS_CONTRACT = 1


def permissions_updated(
    tenant_id: uuid.UUID,
    party_id: uuid.UUID,
    user_id: uuid.UUID | None,
    version: int,
    entries: Sequence[Entry],
) -> Event:
    return Event(
        type=PERMISSIONS_UPDATED,
        tenant_id=tenant_id,
        aggregate_id=str(party_id),
        version=version,
        data={
            "contract": PERMISSIONS_CONTRACT,
            "party_id": str(party_id),
            "user_id": str(user_id) if user_id is not None else None,
            "permissions": [entry.as_payload() for entry in entries],
        },
    )
