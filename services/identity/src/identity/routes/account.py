"""``/account``: seed 000's ``GET /`` and ``PATCH /``, in seed 004's envelopes."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from identity.errors import TenantNotFound
from identity.routes.caller import authenticated, collaborators
from identity.schemas.account import AccountView, AccountWrite
from identity.services import account
from proximity.errors import PermissionDenied
from proximity.http.body import read_model
from proximity.http.responses import one
from proximity.openapi import operation as api


@api.documented(
    "Show account",
    description="The caller's tenant (seed 000's `GET /`); any signed-in user.",
    answers=api.one(AccountView, description="The account."),
    errors=[TenantNotFound],
)
async def get_account(request: Request) -> Response:
    claims = await authenticated(request)
    return one(await account.read_account(collaborators(request), claims))


@api.documented(
    "Update account name",
    description=(
        "Seed 000's `PATCH /`: `{\"name\"}`, or seed 000's own body"
        ' `{"data": {"type": "account", "attributes": {"name"}}}`. System administrators only'
        " (403 `ePermissionDenied` for anyone else)."
    ),
    answers=api.one(AccountView, description="The account, renamed."),
    body=AccountWrite,
    # Seed 000's clients send JSON:API's media type; any ``+json`` type is read as JSON.
    body_media_types=["application/json", "application/vnd.api+json"],
    body_example={
        "data": {
            "id": "6d3e5cfc-3e7a-47fb-b1cf-63483ae59c17",
            "type": "account",
            "attributes": {"name": "New Account Name"},
        }
    },
    errors=[TenantNotFound, PermissionDenied],
)
async def patch_account(request: Request) -> Response:
    claims = await authenticated(request)
    body = await read_model(request, AccountWrite)
    return one(await account.rename_account(collaborators(request), claims, body.new_name))


routes = [
    Route("/account", get_account, methods=["GET"]),
    Route("/account", patch_account, methods=["PATCH"]),
]
