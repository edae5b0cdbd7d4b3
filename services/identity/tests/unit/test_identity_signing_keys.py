"""Tokens signed by the key store verify with its JWKS, and only with it."""

from __future__ import annotations

import jwt
import pytest

from identity.services.signing_keys import SigningKeys, new_signing_key


async def test_signed_token_verifies_with_published_key() -> None:
    keys = SigningKeys([new_signing_key()])
    token = keys.sign({"sub": "u", "aud": "proximity"}, ttl_seconds=60)
    kid = jwt.get_unverified_header(token)["kid"]
    public = await keys.key(kid)
    assert public is not None
    assert [k["kid"] for k in keys.jwks()["keys"]] == [kid]
    assert "d" not in keys.jwks()["keys"][0]  # never the private part
    claims = jwt.decode(token, public.key, algorithms=["EdDSA"], audience="proximity")
    assert claims["exp"] - claims["iat"] == 60


async def test_another_key_does_not_verify() -> None:
    token = SigningKeys([new_signing_key()]).sign({"sub": "u"}, ttl_seconds=60)
    other = SigningKeys([new_signing_key()])
    public = await other.key(next(iter(k["kid"] for k in other.jwks()["keys"])))
    assert public is not None
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, public.key, algorithms=["EdDSA"], options={"verify_aud": False})
