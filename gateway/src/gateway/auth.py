"""Who is calling: the client key's tenant always, the user's verified token unless the
route is public."""

from __future__ import annotations

from starlette.requests import Request

from gateway.client_keys import ClientKeyResolver, KnownClient
from gateway.sessions import RevokedSessions
from proximity.auth.claims import Claims
from proximity.auth.client_credentials import parse_client_credentials
from proximity.auth.verifier import InvalidToken, TokenVerifier, bearer_token
from proximity.errors import InvalidClientKey, SessionRevoked

CLIENT_KEY_HEADER = "x-client-key"
PROXY_AUTHORIZATION_HEADER = "proxy-authorization"


class Authenticator:
    def __init__(
        self, client_keys: ClientKeyResolver, verifier: TokenVerifier, sessions: RevokedSessions
    ) -> None:
        self._client_keys = client_keys
        self._verifier = verifier
        self._sessions = sessions

    async def client(self, request: Request) -> KnownClient:
        """401 ``eInvalidClientKey`` for a missing, unknown or revoked key. Without a key, seed
        000's client credentials (``Proxy-Authorization: Basic``) name the client instead."""
        key = request.headers.get(CLIENT_KEY_HEADER)
        proxy_authorization = request.headers.get(PROXY_AUTHORIZATION_HEADER)
        if key is None and proxy_authorization is not None:
            credentials = parse_client_credentials(proxy_authorization)
            if credentials is None:
                raise InvalidClientKey()
            return await self._client_keys.resolve_credentials(credentials)
        return await self._client_keys.resolve(key)

    async def user(self, request: Request, client: KnownClient) -> Claims:
        """401 ``eInvalidToken`` for a missing, invalid, expired or foreign token,
        401 ``eSessionRevoked`` once identity has ended the session."""
        token = bearer_token(request.headers.get("authorization"))
        if token is None:
            raise InvalidToken()
        claims = await self._verifier.verify(token)
        if claims.service:
            raise InvalidToken("Service tokens are not accepted from outside.")
        if claims.tenant_id != client.tenant_id:
            raise InvalidToken("The access token does not belong to this client's tenant.")
        if claims.session_id is None:
            raise InvalidToken("The access token names no session.")
        if self._sessions.is_revoked(claims.session_id):
            raise SessionRevoked()
        return claims
