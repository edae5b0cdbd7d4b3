"""A verified token is remembered briefly; expiry still applies to the remembered one."""

from __future__ import annotations

import asyncio
import time
import uuid

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm

from proximity.auth.verifier import InvalidToken, TokenVerifier


class CountingKeys:
    """A key source that counts how often it is asked (the signature check happens per ask)."""

    def __init__(self, private: Ed25519PrivateKey) -> None:
        self.asked = 0
        self._key = jwt.PyJWK(
            {**OKPAlgorithm.to_jwk(private.public_key(), as_dict=True), "kid": "k", "alg": "EdDSA"}
        )

    async def key(self, kid: str) -> jwt.PyJWK | None:
        self.asked += 1
        return self._key if kid == "k" else None


def token(private: Ed25519PrivateKey, *, lifetime: int) -> str:
    now = int(time.time())
    claims = {"sub": "u", "tid": str(uuid.uuid4()), "aud": "proximity", "iat": now, "exp": now + lifetime}
    return jwt.encode(claims, private, algorithm="EdDSA", headers={"kid": "k"})


async def test_same_token_is_checked_once() -> None:
    private = Ed25519PrivateKey.generate()
    keys = CountingKeys(private)
    verifier = TokenVerifier(keys, audience="proximity")
    issued = token(private, lifetime=60)
    first = await verifier.verify(issued)
    assert await verifier.verify(issued) == first
    assert keys.asked == 1
    await verifier.verify(token(private, lifetime=61))
    assert keys.asked == 2


async def test_remembered_token_still_expires() -> None:
    private = Ed25519PrivateKey.generate()
    verifier = TokenVerifier(CountingKeys(private), audience="proximity", leeway=0)
    issued = token(private, lifetime=1)
    await verifier.verify(issued)
    await asyncio.sleep(1.1)
    with pytest.raises(InvalidToken):
        await verifier.verify(issued)


async def test_cache_is_bounded() -> None:
    private = Ed25519PrivateKey.generate()
    keys = CountingKeys(private)
    verifier = TokenVerifier(keys, audience="proximity", cache_size=2)
    tokens = [token(private, lifetime=60 + i) for i in range(3)]
    for issued in tokens:
        await verifier.verify(issued)
    await verifier.verify(tokens[0])  # evicted by the third: checked again
    assert keys.asked == 4
