"""Request body of ``POST /templates`` (an administrator's addition; the seed only lists)."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class TemplateWrite(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str = Field(min_length=1, max_length=150)
    type_id: uuid.UUID
    status: Literal["active", "draft", "archived"] = "active"
