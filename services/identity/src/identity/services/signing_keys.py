"""identity's signing keys: Ed25519, stored in its database, public halves served as JWKS.

The newest unretired key signs; every unretired key verifies, so a key can be rotated in
while tokens signed with the previous one are still valid.
"""

from __future__ import annotations

import json
import secrets
import time
import uuid
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col, select

from identity.repositories.tables import SigningKey

ALGORITHM = "EdDSA"


def new_signing_key() -> SigningKey:
    private = Ed25519PrivateKey.generate()
    kid = secrets.token_urlsafe(12)
    jwk: dict[str, Any] = json.loads(OKPAlgorithm.to_jwk(private.public_key()))
    jwk.update({"kid": kid, "alg": ALGORITHM, "use": "sig"})
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return SigningKey(kid=kid, algorithm=ALGORITHM, private_pem=pem, public_jwk=jwk)


class SigningKeys:
    """Loaded once at start-up (and on rotation); also the verifier's key source in identity."""

    def __init__(self, keys: list[SigningKey]) -> None:
        if not keys:
            raise ValueError("no signing key")
        newest = max(keys, key=lambda k: k.created_at)
        self._signing_kid = newest.kid
        self._private = serialization.load_pem_private_key(newest.private_pem.encode(), password=None)
        self._public = {k.kid: jwt.PyJWK(k.public_jwk) for k in keys}
        self._jwks = {"keys": [k.public_jwk for k in keys]}

    @classmethod
    async def load(cls, sessionmaker: async_sessionmaker[AsyncSession]) -> SigningKeys:
        """Load the unretired keys, creating the first one if there is none."""
        async with sessionmaker() as session, session.begin():
            # Replicas starting together must not each create a first key.
            await session.execute(text("SELECT pg_advisory_xact_lock(hashtext('identity.signing_keys'))"))
            query = select(SigningKey).where(col(SigningKey.retired_at).is_(None))
            keys = list((await session.execute(query)).scalars())
            if not keys:
                keys = [new_signing_key()]
                session.add(keys[0])
        return cls(keys)

    def jwks(self) -> dict[str, Any]:
        return self._jwks

    async def key(self, kid: str) -> jwt.PyJWK | None:
        return self._public.get(kid)

    def sign(self, claims: dict[str, Any], *, ttl_seconds: int) -> str:
        now = int(time.time())
        payload = {**claims, "iat": now, "exp": now + ttl_seconds, "jti": str(uuid.uuid4())}
        return jwt.encode(payload, self._private, algorithm=ALGORITHM, headers={"kid": self._signing_kid})  # type: ignore[arg-type]
