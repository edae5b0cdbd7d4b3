"""``POST /auth/reset-password`` (ask for a link) and ``PUT /auth/reset-password`` (use it)."""

from __future__ import annotations

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from identity.routes.caller import collaborators
from identity.schemas.auth_flows import PasswordReset, ResetRequest
from identity.services import password_reset
from identity.services.mail import delivery_of
from proximity.http.body import read_model
from proximity.http.responses import one

NO_STORE = {"Cache-Control": "no-store"}


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
