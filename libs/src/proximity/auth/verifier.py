"""Access-token verification: the gateway and every service verify with this.

Algorithms are pinned to asymmetric ones, so neither ``none`` nor an HMAC token signed with
a public key can pass; the key must come from the JWKS by ``kid`` and match the algorithm.

Audiences: a user's token is for the whole platform (``aud`` = ``JWT_AUDIENCE``), a service
token for the one service it calls (``aud`` = that service's name). A verifier with a
``service_audience`` (each service, its own name) accepts service tokens for it alone; one
without (the gateway) accepts none.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Protocol

import jwt

from proximity.auth.claims import Claims
from proximity.auth.jwks import JwksUnavailable
from proximity.errors import ServiceUnavailable, Unauthenticated

ALLOWED_ALGORITHMS = ("EdDSA", "ES256", "RS256")
REQUIRED_CLAIMS = ["exp", "iat", "sub", "tid", "aud"]


class InvalidToken(Unauthenticated):
    code = "eInvalidToken"
    message = "The access token is missing, invalid or expired."


def bearer_token(authorization: str | None) -> str | None:
    """Seed 004 sends the token bare in ``Authorization``; ``Bearer <token>`` is accepted too."""
    if not authorization:
        return None
    scheme, _, rest = authorization.strip().partition(" ")
    if scheme.lower() == "bearer":
        return rest.strip() or None
    return None if rest or not scheme else scheme


class KeySource(Protocol):
    """Where verification keys come from: a ``JwksClient``, or identity's own key store."""

    async def key(self, kid: str) -> jwt.PyJWK | None: ...


class TokenVerifier:
    def __init__(
        self,
        jwks: KeySource,
        *,
        audience: str,
        service_audience: str | None = None,
        issuer: str | None = None,
        leeway: float = 5.0,
        cache_size: int = 4096,
        cache_seconds: float = 30.0,
    ) -> None:
        self._jwks = jwks
        self._audience = audience
        # Equal to the platform's (a process left with the default name): no service token
        # could be told from one meant for everyone, so none is accepted.
        self.service_audience = service_audience if service_audience != audience else None
        self._issuer = issuer
        self._leeway = leeway
        # A client sends the same token for its whole life; checking its signature once per
        # ``cache_seconds`` instead of per request saves ~0.5 ms. Short, so a key withdrawn
        # from the JWKS stops being honoured soon after the JWKS cache notices.
        self._verified: OrderedDict[str, tuple[float, Claims]] = OrderedDict()
        self._cache_size = cache_size
        self._cache_seconds = cache_seconds

    async def verify(self, token: str) -> Claims:
        now = time.time()
        cached = self._verified.get(token)
        if cached is not None and now < cached[0]:
            self._verified.move_to_end(token)
            return cached[1]
        claims = await self._verify(token)
        if self._cache_size:
            self._verified[token] = (min(claims.expires_at + self._leeway, now + self._cache_seconds), claims)
            if len(self._verified) > self._cache_size:
                self._verified.popitem(last=False)
        return claims

    async def _verify(self, token: str) -> Claims:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError as exc:
            raise InvalidToken() from exc
        algorithm, kid = header.get("alg"), header.get("kid")
        if algorithm not in ALLOWED_ALGORITHMS or not isinstance(kid, str):
            raise InvalidToken()
        try:
            key = await self._jwks.key(kid)
        except JwksUnavailable as exc:
            raise ServiceUnavailable("Token keys are unavailable; try again later.") from exc
        if key is None or key.algorithm_name != algorithm:
            raise InvalidToken()
        try:
            payload = jwt.decode(
                token,
                key.key,
                algorithms=[algorithm],
                audience=[self._audience, *([self.service_audience] if self.service_audience else [])],
                issuer=self._issuer,
                leeway=self._leeway,
                options={"require": REQUIRED_CLAIMS + (["iss"] if self._issuer else [])},
            )
            claims = Claims.from_payload(payload)
        except (jwt.InvalidTokenError, KeyError, TypeError, ValueError) as exc:
            raise InvalidToken() from exc
        audiences = payload["aud"] if isinstance(payload["aud"], list) else [payload["aud"]]
        meant_for = self.service_audience if claims.service else self._audience
        if meant_for is None or meant_for not in audiences:
            # A service token for another service (or for everyone), or a user's token issued
            # for one service only: either way not meant for this caller check.
            raise InvalidToken("The access token is not meant for this service.")
        return claims
