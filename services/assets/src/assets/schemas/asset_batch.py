"""``PATCH /assets`` rows (seed 004 "BATCH UPDATE Assets"): only the fields given change."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import ConfigDict

from proximity.batch_patch import BatchRow


class AssetPatch(BatchRow):
    """One row: a date suspends or deletes (the server's clock sets it), null reactivates or
    restores; ``*_assign`` / ``*_unassign`` add or remove one party, service or contract (null:
    no-op; contract links are written at contracts, which owns them)."""

    model_config = ConfigDict(extra="forbid")

    parent_id: uuid.UUID | None = None
    entity_id: uuid.UUID | None = None
    party_id_assign: uuid.UUID | None = None
    party_id_unassign: uuid.UUID | None = None
    service_id_assign: uuid.UUID | None = None
    service_id_unassign: uuid.UUID | None = None
    contract_id_assign: uuid.UUID | None = None
    contract_id_unassign: uuid.UUID | None = None
    suspended_at: datetime | None = None
    deleted_at: datetime | None = None
