"""``/parties/~/users`` and ``/parties/{id}/users`` (seed 004)."""

from __future__ import annotations

from starlette.convertors import Convertor, register_url_convertor
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from identity.errors import IdentityNotUnique, IdentityNotValid, PartyNotFound
from identity.repositories.party_users import SORTABLE
from identity.routes.caller import authenticated, collaborators
from identity.schemas.party_users import (
    MAX_BATCH,
    PartyUserDetailView,
    PartyUserIn,
    PartyUserView,
    UserBatchRow,
    UserBatchRowView,
    UsersBatch,
)
from identity.services import party_users
from proximity.http.body import read_model
from proximity.http.list_query import parse_list_query
from proximity.http.responses import batch, many, one, public_url
from proximity.openapi import operation as api
from proximity.openapi.envelopes import list_parameters
from proximity.openapi.operation import BatchBody, documented

_PARTY_ID = "The path names the party; a user is known by its party's id."


class _NotTheCollection(Convertor[str]):
    """A path segment other than ``~``: ``PUT /parties/~/users`` is then a method the
    collection does not take (405, ``Allow: GET, HEAD, PATCH``), not a party named ``~``."""

    regex = "[^/~][^/]*|~[^/]+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("party_segment", _NotTheCollection())


@documented(
    "List users",
    description=(
        "The users of the tenant's parties. `first_name`, `last_name` and `email` are the "
        "party's, given for convenience."
    ),
    answers=api.many(PartyUserView),
    params=list_parameters(sortable=SORTABLE),
    permission="users.view",
    operation_id="list_party_users",
)
async def list_users(request: Request) -> Response:
    claims = await authenticated(request)
    query = parse_list_query(request.query_params, sortable=SORTABLE)
    items, total = await party_users.list_users(collaborators(request), claims, query)
    return many(items, query=query, total=total, url=public_url(request))


@documented(
    "Suspend or reactivate users",
    description=(
        "Each row names a party whose user to change: a date in `suspended_at` suspends it (the "
        "server's clock sets the time, and the user's sessions end), null reactivates it. Each "
        "row succeeds or fails on its own: a failing row is an item of `errors` "
        "(`eValidationError`, `ePartyNotFound` for a party that is unknown, deleted or has no "
        "user) and the others still apply."
    ),
    answers=api.batch(UserBatchRowView),
    body=BatchBody(UserBatchRow, MAX_BATCH),
    body_example={
        "data": [
            {"id": "6fd5b5c4-0978-49f6-b301-85f60434c1b9", "suspended_at": "2023-01-01T12:35:00.000Z"},
            {"id": "48dd8d74-0aee-4fae-8417-d0466c74fbaa", "suspended_at": None},
        ]
    },
    permission="users.update",
    operation_id="patch_party_users",
)
async def patch_users(request: Request) -> Response:
    claims = await authenticated(request)
    body = await read_model(request, UsersBatch)
    applied, failures = await party_users.patch_users(collaborators(request), claims, body)
    return batch(applied, failures)


@documented(
    "Get a party's user",
    description=_PARTY_ID + " `ePartyNotFound` also when the party has no user.",
    answers=api.one(PartyUserDetailView),
    errors=(PartyNotFound,),
    permission="users.view",
    operation_id="get_party_user",
)
async def get_user(request: Request) -> Response:
    claims = await authenticated(request)
    return one(await party_users.get_user(collaborators(request), claims, request.path_params["id"]))


@documented(
    "Create or replace a party's user",
    description=(
        _PARTY_ID + " The user is created if the party has none. Identities are `email` or "
        "`desktop_id` (at most 10 distinct) and must be unused in the tenant. Only a system "
        "administrator may grant or remove `system_admin` (`ePermissionDenied`). A non-null "
        "`suspended_at` suspends the user at the server's time. `id`, names, email, "
        "`last_signin` and the dates are read-only and ignored."
    ),
    answers=api.one(PartyUserDetailView),
    body=PartyUserIn,
    body_example={
        "username": "test-username",
        "system_admin": False,
        "allow_sso": True,
        "allow_otp": False,
        "identities": [{"type": "email", "value": "sso_email@example.com"}],
        "suspended_at": None,
    },
    errors=(PartyNotFound, IdentityNotValid, IdentityNotUnique),
    permission="users.update",
    operation_id="put_party_user",
)
async def put_user(request: Request) -> Response:
    claims = await authenticated(request)
    body = await read_model(request, PartyUserIn)
    party_id = request.path_params["id"]
    return one(await party_users.put_user(collaborators(request), claims, party_id, body))


# "~" first: it is not an id.
routes = [
    Route("/parties/~/users", list_users, methods=["GET"]),
    Route("/parties/~/users", patch_users, methods=["PATCH"]),
    Route("/parties/{id:party_segment}/users", get_user, methods=["GET"]),
    Route("/parties/{id:party_segment}/users", put_user, methods=["PUT"]),
]
