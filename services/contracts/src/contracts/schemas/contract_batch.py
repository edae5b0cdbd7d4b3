"""``PATCH /contracts`` rows (seed 004 "BATCH UPDATE Contracts"): only the fields given change."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import ConfigDict

from proximity.batch_patch import BatchRow


class ContractPatch(BatchRow):
    """One row: a date suspends or deletes (the server's clock sets it), null reactivates or
    restores; ``*_assign`` / ``*_unassign`` add or remove one party, asset, service or entity
    (null: no-op)."""

    model_config = ConfigDict(extra="forbid")

    party_id_assign: uuid.UUID | None = None
    party_id_unassign: uuid.UUID | None = None
    asset_id_assign: uuid.UUID | None = None
    asset_id_unassign: uuid.UUID | None = None
    service_id_assign: uuid.UUID | None = None
    service_id_unassign: uuid.UUID | None = None
    entity_id_assign: uuid.UUID | None = None
    entity_id_unassign: uuid.UUID | None = None
    suspended_at: datetime | None = None
    deleted_at: datetime | None = None
