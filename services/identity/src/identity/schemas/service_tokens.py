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
    audience: str = Field(
        min_length=1,
        max_length=100,
        pattern=r"^[a-z][a-z0-9-]*$",
        description="The service the token is for.",
    )
    scope: str | None = Field(
        default=None,
        max_length=1000,
        description="Space-separated scopes of that service; unset: every scope of it granted to the caller.",
    )


class ServiceTokenView(BaseModel):
    """A token naming the service (``sub``), the tenant, the one service it is for (``aud``)
    and what it may do there (``scope``), with no user, session or permissions: user
    endpoints refuse it, and so does every service but its audience."""

    access_token: str
    token_type: Literal["Bearer"]
    expires_in: int = Field(description="Seconds the token is valid for.")
    scope: str = Field(description="The scopes granted, space-separated.")
