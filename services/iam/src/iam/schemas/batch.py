"""A batch PATCH body: ``{"data": [row, ...]}``, each row parsed on its own
(``proximity.batch_patch``), so one bad row fails alone."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

MAX_BATCH = 100


class BatchRows(BaseModel):
    model_config = ConfigDict(extra="forbid")

    data: list[Any] = Field(min_length=1, max_length=MAX_BATCH)
