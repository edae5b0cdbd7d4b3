"""``POST /auth2/guests/initiate`` and ``POST /auth2/guests/confirm`` (seed 004)."""

from __future__ import annotations

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from identity.routes.caller import collaborators
from identity.schemas.auth_flows import GuestConfirmation, GuestInitiation
from identity.services import guest_login
from identity.services.mail import delivery_of
from identity.services.password_reset import client_tenant
from proximity.http.body import read_model
from proximity.http.responses import one

NO_STORE = {"Cache-Control": "no-store"}


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
