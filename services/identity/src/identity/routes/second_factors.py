"""Second factors of the calling user (``/auth/totp``, ``/auth/email-otp``,
``/auth/recovery-codes``) and the login's second step (``/auth/login/second-factor``, public)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from identity.routes.auth import NO_STORE, tokens_response
from identity.routes.caller import authenticated, collaborators
from identity.schemas.second_factors import CodeBody, SecondFactorLogin, TotpDisable
from identity.services import email_otp, recovery_codes, second_step, totp
from identity.services.mail import delivery_of
from proximity.http.body import read_model
from proximity.http.responses import no_content, one


async def enrol_totp(request: Request) -> Response:
    claims = await authenticated(request)
    enrolment = await totp.enrol(collaborators(request), claims)
    return one(
        {"secret": enrolment.secret, "provisioning_uri": enrolment.provisioning_uri, "status": "pending"},
        headers=NO_STORE,
    )


async def confirm_totp(request: Request) -> Response:
    claims = await authenticated(request)
    body = await read_model(request, CodeBody)
    await totp.confirm(collaborators(request), claims, body.code)
    return one({"status": "enabled"})


async def disable_totp(request: Request) -> Response:
    claims = await authenticated(request)
    body = await read_model(request, TotpDisable)
    await totp.disable(collaborators(request), claims, code=body.code, password=body.password)
    return no_content()


async def send_email_code(request: Request) -> Response:
    claims = await authenticated(request)
    await email_otp.send_enable_code(collaborators(request), delivery_of(request.app.state), claims)
    return one({"sent": True})


async def enable_email_otp(request: Request) -> Response:
    claims = await authenticated(request)
    body = await read_model(request, CodeBody)
    await email_otp.enable(collaborators(request), claims, body.code)
    return one({"status": "enabled"})


async def new_recovery_codes(request: Request) -> Response:
    claims = await authenticated(request)
    codes = await recovery_codes.regenerate(collaborators(request), claims)
    return one({"recovery_codes": codes}, headers=NO_STORE)


async def second_factor_login(request: Request) -> Response:
    body = await read_model(request, SecondFactorLogin)
    tokens = await second_step.complete(
        collaborators(request),
        client_key=request.headers.get("x-client-key"),
        challenge=body.challenge,
        method=body.method,
        code=body.code,
    )
    return tokens_response(tokens)


routes = [
    Route("/auth/totp", enrol_totp, methods=["POST"]),
    Route("/auth/totp", confirm_totp, methods=["PUT"]),
    Route("/auth/totp", disable_totp, methods=["DELETE"]),
    Route("/auth/email-otp", send_email_code, methods=["GET"]),
    Route("/auth/email-otp", enable_email_otp, methods=["POST"]),
    Route("/auth/recovery-codes", new_recovery_codes, methods=["PUT"]),
    Route("/auth/login/second-factor", second_factor_login, methods=["POST"]),
]
