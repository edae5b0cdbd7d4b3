"""Who is calling, checked by every process on its own (zero trust inside): the gateway and
each service behind it refuse the same requests with the same 401s.

A user's access token counts only with a client key of its own tenant and while its session
lives. The token is verified first: it is local and cached, so garbage never costs a key
lookup, and a service token (which needs no key) is known before a key is asked for.

What identity knows (which tenant a key opens, which sessions have ended) comes through an
``IdentityRecords``: over HTTP and events in every other process, from its own tables in
identity itself.
"""

from __future__ import annotations

import uuid
from typing import Protocol

from starlette.applications import Starlette
from starlette.requests import HTTPConnection

from proximity.auth.claims import Claims
from proximity.auth.client_credentials import ClientCredentials, parse_client_credentials
from proximity.auth.client_keys import KnownClient
from proximity.auth.permissions import require_scope, require_service
from proximity.auth.verifier import InvalidToken, TokenVerifier, bearer_token
from proximity.errors import InvalidClientKey, SessionRevoked

CLIENT_KEY_HEADER = "x-client-key"
PROXY_AUTHORIZATION_HEADER = "proxy-authorization"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# A client key, or seed 000's client id and secret.
PresentedClient = str | ClientCredentials


class IdentityRecords(Protocol):
    async def client(self, presented: PresentedClient) -> KnownClient:
        """The active client; ``InvalidClientKey`` for an unknown or revoked one."""
        ...

    async def session_revoked(self, tenant_id: uuid.UUID, session_id: uuid.UUID) -> bool: ...

    async def standing(
        self, presented: PresentedClient, session_id: uuid.UUID | None
    ) -> tuple[KnownClient, bool]:
        """Both questions of a user request at once, the client and whether the session (in
        the client's tenant) has ended: where they are one lookup, they cost one."""
        ...


class CallerGuard:
    # The gateway forwards seed 000's credentials as ``X-Client-Key: Basic ...`` (it drops
    # ``Proxy-Authorization``), so behind it that spelling is the credentials, not a key.
    credentials_in_client_key: bool = True
    service_caller_refusal: str = "Service tokens are not accepted here."

    def __init__(self, verifier: TokenVerifier, records: IdentityRecords) -> None:
        self.verifier = verifier
        self._records = records

    async def client(self, request: HTTPConnection) -> KnownClient:
        """401 ``eInvalidClientKey`` for a missing, malformed, unknown or revoked key. Without
        a key, seed 000's client credentials (``Proxy-Authorization: Basic``) name the client."""
        return await self._records.client(self._presented(request))

    async def user(self, request: HTTPConnection, client: KnownClient | None = None) -> Claims:
        """The calling user: 401 ``eInvalidToken`` for a missing, invalid, expired or service
        token or one of another tenant than the client's, 401 ``eInvalidClientKey`` for a bad
        key, 401 ``eSessionRevoked`` once identity has ended the session. ``client``: already
        resolved (the gateway resolves it before routing)."""
        claims = await self._verified(request)
        if claims.service:
            raise InvalidToken(self.service_caller_refusal)
        return await self._of_client(request, claims, client)

    async def user_or_service(self, request: HTTPConnection, *, scope: str | None = None) -> Claims:
        """A user, checked as by ``user``, or another service: a service token is issued to
        a service for one tenant and names no session, and services call each other directly,
        without any client's key. It must carry ``scope`` (by default this service's
        ``<name>.read`` for a safe method, ``<name>.write`` otherwise): 403 if it does not."""
        claims = await self._verified(request)
        if claims.service:
            require_scope(claims, scope or self.default_scope(request))
            return claims
        return await self._of_client(request, claims, None)

    async def service(self, request: HTTPConnection, *, scope: str | None = None) -> Claims:
        """Another service (``/internal`` endpoints): no client key; a user's token is 403, and
        so is a service token without ``scope`` (by default as for ``user_or_service``)."""
        claims = await self._verified(request)
        require_service(claims)
        require_scope(claims, scope or self.default_scope(request))
        return claims

    def default_scope(self, request: HTTPConnection) -> str:
        """What a route needs unless it names its own scope: reading or writing this service."""
        action = "read" if request.scope.get("method", "GET") in SAFE_METHODS else "write"
        return f"{self.verifier.service_audience}.{action}"

    async def _verified(self, request: HTTPConnection) -> Claims:
        token = bearer_token(request.headers.get("authorization"))
        if token is None:
            raise InvalidToken()
        return await self.verifier.verify(token)

    async def _of_client(self, request: HTTPConnection, claims: Claims, client: KnownClient | None) -> Claims:
        revoked: bool | None = None
        if client is None:
            client, revoked = await self._records.standing(self._presented(request), claims.session_id)
        if claims.tenant_id != client.tenant_id:
            raise InvalidToken("The access token does not belong to this client's tenant.")
        if claims.session_id is None:
            raise InvalidToken("The access token names no session.")
        if revoked is None:
            revoked = await self._records.session_revoked(claims.tenant_id, claims.session_id)
        if revoked:
            raise SessionRevoked()
        return claims

    def _presented(self, request: HTTPConnection) -> PresentedClient:
        key = request.headers.get(CLIENT_KEY_HEADER)
        if key is not None:
            if self.credentials_in_client_key and key[:6].lower() == "basic ":
                return _credentials(key)
            return key
        proxy_authorization = request.headers.get(PROXY_AUTHORIZATION_HEADER)
        if proxy_authorization is not None:
            return _credentials(proxy_authorization)
        raise InvalidClientKey()


def install_guard(app: Starlette, guard: CallerGuard) -> None:
    """Done by the app's lifespan (``proximity.service_app``) once the guard is built."""
    app.state.callers = guard


def guard_of(request: HTTPConnection) -> CallerGuard:
    found = getattr(request.app.state, "callers", None)
    if not isinstance(found, CallerGuard):
        raise RuntimeError("the app has no caller guard (is its lifespan running?)")
    return found


async def authenticated_user(request: HTTPConnection) -> Claims:
    """The calling user, as ``CallerGuard.user`` checks it: a service token names a service,
    not a user or a session, so it is refused as if it were invalid."""
    return await guard_of(request).user(request)


async def authenticated_caller(request: HTTPConnection, *, scope: str | None = None) -> Claims:
    """The calling user or another service, as ``CallerGuard.user_or_service`` checks them
    (a service token needs ``scope``, by default this service's read or write scope)."""
    return await guard_of(request).user_or_service(request, scope=scope)


def _credentials(header: str) -> ClientCredentials:
    credentials = parse_client_credentials(header)
    if credentials is None:
        raise InvalidClientKey()
    return credentials
