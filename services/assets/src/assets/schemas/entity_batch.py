"""``PATCH /entities`` rows (seed 004 "BATCH UPDATE Entities"): only the fields given change."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import ConfigDict

from proximity.batch_patch import BatchRow


class EntityPatch(BatchRow):
    """One row: a date suspends or deletes (the server's clock sets it), null reactivates or
    restores; ``*_assign`` / ``*_unassign`` add or remove one service or contract (null: no-op;
    contract links are written at contracts, which owns them)."""

    model_config = ConfigDict(extra="forbid")

    contract_id_assign: uuid.UUID | None = None
    contract_id_unassign: uuid.UUID | None = None
    service_id_assign: uuid.UUID | None = None
    service_id_unassign: uuid.UUID | None = None
    suspended_at: datetime | None = None
    deleted_at: datetime | None = None
