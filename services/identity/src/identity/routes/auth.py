"""``/auth/login`` (one step, or the first of two), ``/auth/refresh``, ``/auth/logout``."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from identity.routes.caller import authenticated, collaborators
from identity.schemas.auth import LoginRequest, RefreshRequest
from identity.services import sessions
from identity.services.login_challenges import SecondStep
from identity.services.mail import delivery_of
from proximity.http.body import read_model
from proximity.http.responses import no_content, one

NO_STORE = {"Cache-Control": "no-store"}


def tokens_response(tokens: sessions.IssuedTokens) -> Response:
    return one(
        {
            "access_token": tokens.access_token,
            "refresh_token": tokens.refresh_token,
            "token_type": "Bearer",
            "expires_in": tokens.expires_in,
        },
        headers=NO_STORE,
    )


async def login(request: Request) -> Response:
    body = await read_model(request, LoginRequest)
    outcome = await sessions.login(
        collaborators(request),
        client_key=request.headers.get("x-client-key"),
        email=body.email,
        password=body.password,
        desktop_id=body.desktop_id,
    )
    if isinstance(outcome, SecondStep):
        if outcome.mailed:
            delivery_of(request.app.state).wake()
        return one(
            {"second_factor_required": True, "challenge": outcome.challenge, "methods": outcome.methods},
            headers=NO_STORE,
        )
    return tokens_response(outcome)


async def refresh(request: Request) -> Response:
    body = await read_model(request, RefreshRequest)
    tokens = await sessions.refresh(
        collaborators(request),
        client_key=request.headers.get("x-client-key"),
        refresh_token=body.refresh_token,
    )
    return tokens_response(tokens)


async def logout(request: Request) -> Response:
    claims = await authenticated(request)
    await sessions.logout(collaborators(request), claims)
    return no_content()


routes = [
    Route("/auth/login", login, methods=["POST"]),
    Route("/auth/refresh", refresh, methods=["POST"]),
    Route("/auth/logout", logout, methods=["POST"]),
]
