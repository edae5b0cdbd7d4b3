"""Request bodies and answers of ``/clients``, ``/internal/client-keys`` and
``/internal/client-credentials``."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, SecretStr


class ClientWrite(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str = Field(min_length=1, max_length=150)


class ClientCredentialsCheck(BaseModel):
    """What the gateway asks identity to check; the secret travels in a body, never a URL."""

    client_id: str = Field(min_length=1, max_length=100)
    # SecretStr: a stray repr or log of the parsed body shows '**********', not the secret.
    client_secret: SecretStr = Field(min_length=1, max_length=1024)


class ClientView(BaseModel):
    id: uuid.UUID
    name: str
    created_at: datetime
    revoked_at: datetime | None = Field(
        description="Set once revoked; revoked clients are listed only when named in `ids[]`."
    )


class RegisteredClientView(ClientView):
    """The new client with its key and secret: this answer is the only time they are shown."""

    key: str = Field(description="For ``X-Client-Key``.")
    client_id: str = Field(description="The client's id: with the secret, seed 000's client credentials.")
    client_secret: str


class ClientTenantView(BaseModel):
    """Whose a client key (or client credentials) is."""

    tenant_id: uuid.UUID
    client_id: uuid.UUID
