"""Second factors of the calling user (``/auth/totp``, ``/auth/email-otp``,
``/auth/recovery-codes``) and the login's second step (``/auth/login/second-factor``, public)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from identity.errors import (
    InvalidCredentials,
    InvalidSecondFactorCode,
    SecondFactorState,
    UserNotFound,
)
from identity.routes.auth import NO_STORE, TOKENS, no_store, tokens_response
from identity.routes.caller import authenticated, collaborators
from identity.schemas.second_factors import (
    CodeBody,
    CodeSentView,
    FactorEnabledView,
    RecoveryCodesView,
    SecondFactorLogin,
    TotpDisable,
    TotpEnrolmentView,
)
from identity.services import email_otp, recovery_codes, second_step, totp
from identity.services.mail import delivery_of
from proximity.errors import TooManyRequests
from proximity.http.body import read_model
from proximity.http.responses import no_content, one
from proximity.openapi import operation as api

ENABLED = api.one(FactorEnabledView, description="The factor is on: logins now take a second step.")


@api.documented(
    "Enrol TOTP",
    description=(
        "A new secret for an authenticator app (RFC 6238), pending until `PUT /auth/totp`"
        " confirms a first code; it replaces a pending one. Once TOTP is enabled it must be"
        " disabled before enrolling again (400 `eSecondFactorState`)."
    ),
    answers=no_store(api.one(TotpEnrolmentView, description="The secret, shown this once.")),
    errors=[SecondFactorState, UserNotFound],
)
async def enrol_totp(request: Request) -> Response:
    claims = await authenticated(request)
    enrolment = await totp.enrol(collaborators(request), claims)
    return one(
        {"secret": enrolment.secret, "provisioning_uri": enrolment.provisioning_uri, "status": "pending"},
        headers=NO_STORE,
    )


@api.documented(
    "Confirm TOTP",
    description=(
        "A first code from the app turns the pending secret into the user's second factor. A code"
        " is good for its 30-second step or the one either side, and only once. No pending"
        " enrolment: 400 `eSecondFactorState`; a wrong code: 400 `eInvalidCode`."
    ),
    answers=ENABLED,
    body=CodeBody,
    body_example={"code": "123456"},
    errors=[SecondFactorState, InvalidSecondFactorCode],
)
async def confirm_totp(request: Request) -> Response:
    claims = await authenticated(request)
    body = await read_model(request, CodeBody)
    await totp.confirm(collaborators(request), claims, body.code)
    return one({"status": "enabled"})


@api.documented(
    "Disable TOTP",
    description=(
        "With a current code or the password (one of the two). A wrong one is 400 `eInvalidCode`"
        " and counts towards the login lockout. TOTP not enrolled: 400 `eSecondFactorState`."
    ),
    answers=api.empty(description="TOTP is off; its secret, enrolled or pending, is gone."),
    body=TotpDisable,
    body_example={"password": "correct horse battery staple"},
    errors=[SecondFactorState, InvalidSecondFactorCode],
)
async def disable_totp(request: Request) -> Response:
    claims = await authenticated(request)
    body = await read_model(request, TotpDisable)
    await totp.disable(collaborators(request), claims, code=body.code, password=body.password)
    return no_content()


@api.documented(
    "Send a one-time password by email",
    description=(
        "Mails a six-digit code (seed 002) for `POST /auth/email-otp`. A few codes per user within"
        " a window, then 429 `eTooManyRequests`. A user without an email: 400 `eUserNotFound`."
    ),
    answers=api.one(CodeSentView, description="The code is on its way."),
    errors=[UserNotFound, TooManyRequests],
)
async def send_email_code(request: Request) -> Response:
    claims = await authenticated(request)
    await email_otp.send_enable_code(collaborators(request), delivery_of(request.app.state), claims)
    return one({"sent": True})


@api.documented(
    "Enable OTP by email",
    description=(
        "The code `GET /auth/email-otp` mailed turns email OTP on as a second factor (seed 002)."
        " Wrong, expired or used: 400 `eInvalidCode`; a few wrong tries and the code stops working."
    ),
    answers=ENABLED,
    body=CodeBody,
    body_example={"code": "123456"},
    errors=[InvalidSecondFactorCode],
)
async def enable_email_otp(request: Request) -> Response:
    claims = await authenticated(request)
    body = await read_model(request, CodeBody)
    await email_otp.enable(collaborators(request), claims, body.code)
    return one({"status": "enabled"})


@api.documented(
    "Generate new 2FA recovery codes",
    description=(
        "Ten new codes (seed 002), replacing any before them. Each finishes one login's second"
        " step; they are not a second factor by themselves."
    ),
    answers=no_store(api.one(RecoveryCodesView, description="The codes, shown this once.")),
)
async def new_recovery_codes(request: Request) -> Response:
    claims = await authenticated(request)
    codes = await recovery_codes.regenerate(collaborators(request), claims)
    return one({"recovery_codes": codes}, headers=NO_STORE)


@api.documented(
    "Finish a login with a second factor",
    description=(
        "The `challenge` `POST /auth/login` gave, with a code of one of its `methods`, turns into"
        " the usual tokens. Every failure is the same 401 `eInvalidCredentials`, and a wrong code"
        " counts towards the login lockout (which also ends the challenge)."
    ),
    answers=TOKENS,
    body=SecondFactorLogin,
    body_example={"challenge": "the-challenge-from-login", "method": "totp", "code": "123456"},
    errors=[InvalidCredentials],
    public=True,
)
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
