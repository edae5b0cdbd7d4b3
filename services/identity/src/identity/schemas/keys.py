"""The answer of ``GET /.well-known/jwks.json`` (RFC 7517)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class JwkView(BaseModel):
    """A public Ed25519 key (RFC 8037); other members a key may carry are allowed."""

    kty: str = Field(description="``OKP``.")
    crv: str = Field(description="``Ed25519``.")
    x: str
    kid: str
    alg: str = Field(description="``EdDSA``.")
    use: str = Field(description="``sig``.")


class JwksView(BaseModel):
    """Every key an access token may be signed with: the signing one and any still verifying."""

    keys: list[JwkView]
