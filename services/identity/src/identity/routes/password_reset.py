"""``POST /auth/reset-password`` (ask for a link) and ``PUT /auth/reset-password`` (use it)."""

from __future__ import annotations

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from identity.errors import InactiveUser, InvalidPassword, InvalidResetToken
from identity.routes.auth import no_store
from identity.routes.caller import collaborators
from identity.schemas.auth_flows import PasswordReset, PasswordResetView, ResetRequest
from identity.services import password_reset
from identity.services.mail import delivery_of
from proximity.http.body import read_model
from proximity.http.responses import one
from proximity.openapi import operation as api

NO_STORE = {"Cache-Control": "no-store"}


@api.documented(
    "Ask for a password reset link",
    description=(
        "Mails a single-use, expiring link to reset the password if the email names a user of the"
        " client's tenant (a few per user within a window). Always 202 with no body, at the same"
        " moment whether or not anyone has that address."
    ),
    answers=api.empty(202, description="Accepted; a link is mailed if the email is a user's."),
    body=ResetRequest,
    body_example={"email": "ada@example.com"},
    public=True,
    operation_id="request_password_reset",
)
async def request_reset(request: Request) -> Response:
    body = await read_model(request, ResetRequest)
    ctx = collaborators(request)
    tenant_id = await password_reset.client_tenant(ctx, request.headers.get("x-client-key"))
    # Looking the email up happens after the answer is sent: 202 at the same moment whether
    # or not anyone has that address.
    work = BackgroundTask(
        password_reset.request_reset,
        ctx,
        delivery_of(request.app.state),
        tenant_id=tenant_id,
        email=body.email,
    )
    return Response(status_code=202, background=work)


@api.documented(
    "Change a forgotten password",
    description=(
        "With the token the mailed link carries (seed 002's classic scheme). Every session of the"
        " user ends. Wrong, used or expired token: 400 `eInvalidResetToken`; the user suspended"
        " or deleted: 400 `eInactiveUser`; a password the policy refuses: 400 `eInvalidPassword`"
        " (the message says which rule; the token stays usable)."
    ),
    answers=no_store(api.one(PasswordResetView, description="The password is changed.")),
    body=PasswordReset,
    body_example={"token": "the-token-from-the-link", "password": "a new, long passphrase"},
    errors=[InvalidResetToken, InactiveUser, InvalidPassword],
    public=True,
    operation_id="reset_password",
)
async def reset(request: Request) -> Response:
    body = await read_model(request, PasswordReset)
    await password_reset.reset_password(
        collaborators(request),
        client_key=request.headers.get("x-client-key"),
        token=body.token,
        password=body.password,
    )
    return one({"reset": True}, headers=NO_STORE)


routes = [
    Route("/auth/reset-password", request_reset, methods=["POST"]),
    Route("/auth/reset-password", reset, methods=["PUT"]),
]
