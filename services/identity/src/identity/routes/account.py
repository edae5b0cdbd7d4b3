"""``/account``: seed 000's ``GET /`` and ``PATCH /``, in seed 004's envelopes."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from identity.routes.caller import authenticated, collaborators
from identity.schemas.account import AccountWrite
from identity.services import account
from proximity.http.body import read_model
from proximity.http.responses import one


async def get_account(request: Request) -> Response:
    claims = await authenticated(request)
    return one(await account.read_account(collaborators(request), claims))


async def patch_account(request: Request) -> Response:
    claims = await authenticated(request)
    body = await read_model(request, AccountWrite)
    return one(await account.rename_account(collaborators(request), claims, body.new_name))


routes = [
    Route("/account", get_account, methods=["GET"]),
    Route("/account", patch_account, methods=["PATCH"]),
]
