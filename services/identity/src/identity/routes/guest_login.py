"""``POST /auth2/guests/initiate`` and ``POST /auth2/guests/confirm`` (seed 004)."""

from __future__ import annotations

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from identity.errors import InvalidGuestToken
from identity.routes.auth import no_store
from identity.routes.caller import collaborators
from identity.schemas.auth_flows import GuestConfirmation, GuestInitiation, GuestLoginView
from identity.services import guest_login
from identity.services.mail import delivery_of
from identity.services.password_reset import client_tenant
from proximity.http.body import read_model
from proximity.http.responses import one
from proximity.openapi import operation as api

NO_STORE = {"Cache-Control": "no-store"}


@api.documented(
    "Initiate guest login session",
    description=(
        "Mails `https://[dk]/auth/guest?token=[token]` if the email identity exists for a party"
        " user allowed OTP and the domain key `dk` is the client's tenant's (seed 004). A 202 is"
        " given on all occasions, before anything is looked at, so nothing tells whether the"
        " email is valid or allowed guest login."
    ),
    answers=api.empty(202, description="Accepted; a link is mailed if the user may use one."),
    body=GuestInitiation,
    body_example={"dk": "your-client-url-domain", "email": "your-email@sixfactor.com"},
    public=True,
    operation_id="initiate_guest_login",
)
async def initiate(request: Request) -> Response:
    body = await read_model(request, GuestInitiation)
    ctx = collaborators(request)
    tenant_id = await client_tenant(ctx, request.headers.get("x-client-key"))
    # Always 202, answered before anything about the email or domain is looked at.
    work = BackgroundTask(
        guest_login.initiate,
        ctx,
        delivery_of(request.app.state),
        tenant_id=tenant_id,
        domain=body.dk,
        email=body.email,
    )
    return Response(status_code=202, background=work)


@api.documented(
    "Confirm guest login session with OTP",
    description=(
        "The token from the mailed link (single use) starts a session; use `access_token` as any"
        " other access token (seed 004). Unknown, used or expired, or the user no longer allowed:"
        " 401 `eInvalidGuestToken`."
    ),
    answers=no_store(api.one(GuestLoginView, description="The guest's session and access token.")),
    body=GuestConfirmation,
    body_example={"token": "the-otp-token"},
    errors=[InvalidGuestToken],
    public=True,
    operation_id="confirm_guest_login",
)
async def confirm(request: Request) -> Response:
    body = await read_model(request, GuestConfirmation)
    started = await guest_login.confirm(
        collaborators(request), client_key=request.headers.get("x-client-key"), token=body.token
    )
    session = {
        "dk": started.domain,
        "user_id": str(started.user_id),
        "email": started.email,
        "app_id": guest_login.APP_ID,
    }
    return one({"session": session, "access_token": started.access_token}, headers=NO_STORE)


routes = [
    Route("/auth2/guests/initiate", initiate, methods=["POST"]),
    Route("/auth2/guests/confirm", confirm, methods=["POST"]),
]
