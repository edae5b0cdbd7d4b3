"""``/auth/login`` (one step, or the first of two), ``/auth/refresh``, ``/auth/logout``."""

from __future__ import annotations

from dataclasses import replace

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from identity.errors import InvalidCredentials, InvalidRefreshToken
from identity.routes.caller import authenticated, collaborators
from identity.schemas.auth import LoginRequest, LoginView, RefreshRequest, TokensView
from identity.services import sessions
from identity.services.login_challenges import SecondStep
from identity.services.mail import delivery_of
from proximity.http.body import read_model
from proximity.http.responses import no_content, one
from proximity.openapi import operation as api

NO_STORE = {"Cache-Control": "no-store"}


def no_store(answer: api.Answer) -> api.Answer:
    """``answer`` with the ``Cache-Control: no-store`` its route sends (tokens, secrets)."""
    headers = {**answer.headers, "Cache-Control": "`no-store`: the body carries secrets."}
    return replace(answer, headers=headers)


TOKENS = no_store(api.one(TokensView, description="A new access token and refresh token."))


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


@api.documented(
    "Log in",
    description=(
        "Email and password (seed 002). A desktop tool that does not know the user's email sends"
        " its `desktop_id`, looked up when no email matches. A user with a second factor gets a"
        " `challenge` instead of tokens, for `POST /auth/login/second-factor`; with email OTP on,"
        " the code is mailed at that moment. A wrong password, an unknown email, a locked account"
        " and a suspended or deleted user all get the same 401 `eInvalidCredentials`; the fourth"
        " failure in a row (by default) locks the account for 5 minutes."
    ),
    answers=no_store(api.one(LoginView, description="Tokens, or the second step to take.")),
    body=LoginRequest,
    body_example={"email": "ada@example.com", "password": "correct horse battery staple"},
    errors=[InvalidCredentials],
    public=True,
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


@api.documented(
    "Refresh a session's tokens",
    description=(
        "Trades a refresh token for a new access token and a new refresh token; the old one is"
        " spent. A spent one presented again ends the whole session (someone else holds a copy)."
        " Unknown, spent or expired, or the user suspended or deleted: 401 `eInvalidRefreshToken`."
    ),
    answers=TOKENS,
    body=RefreshRequest,
    errors=[InvalidRefreshToken],
    public=True,
)
async def refresh(request: Request) -> Response:
    body = await read_model(request, RefreshRequest)
    tokens = await sessions.refresh(
        collaborators(request),
        client_key=request.headers.get("x-client-key"),
        refresh_token=body.refresh_token,
    )
    return tokens_response(tokens)


@api.documented(
    "Log out",
    description=(
        "Ends the caller's session: its refresh token stops at once, its access tokens as soon as"
        " the gateway sees `identity.session.revoked`."
    ),
    answers=api.empty(description="The session is over."),
)
async def logout(request: Request) -> Response:
    claims = await authenticated(request)
    await sessions.logout(collaborators(request), claims)
    return no_content()


routes = [
    Route("/auth/login", login, methods=["POST"]),
    Route("/auth/refresh", refresh, methods=["POST"]),
    Route("/auth/logout", logout, methods=["POST"]),
]
