"""Request bodies of ``POST /clients`` and ``POST /internal/client-credentials``."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr


class ClientWrite(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str = Field(min_length=1, max_length=150)


class ClientCredentialsCheck(BaseModel):
    """What the gateway asks identity to check; the secret travels in a body, never a URL."""

    client_id: str = Field(min_length=1, max_length=100)
    # SecretStr: a stray repr or log of the parsed body shows '**********', not the secret.
    client_secret: SecretStr = Field(min_length=1, max_length=1024)
