"""Request body and answer of ``POST /internal/service-tokens``."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, Field, SecretStr


class ServiceTokenRequest(BaseModel):
    service: str = Field(min_length=1, max_length=100)
    # SecretStr: a stray repr or log of the parsed body shows '**********', not the secret.
    secret: SecretStr = Field(min_length=1, max_length=1024)
    tenant_id: uuid.UUID


class ServiceTokenView(BaseModel):
    """A token naming the service (``sub``) and the tenant, with no user, session or
    permissions: user endpoints refuse it."""

    access_token: str
    token_type: Literal["Bearer"]
    expires_in: int = Field(description="Seconds the token is valid for.")
