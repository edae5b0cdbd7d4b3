"""Request body of ``POST /internal/service-tokens``."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, Field, SecretStr


class ServiceTokenRequest(BaseModel):
    service: str = Field(min_length=1, max_length=100)
    # SecretStr: a stray repr or log of the parsed body shows '**********', not the secret.
    secret: SecretStr = Field(min_length=1, max_length=1024)
    tenant_id: uuid.UUID
