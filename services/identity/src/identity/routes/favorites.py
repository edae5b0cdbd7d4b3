"""``/parties/{id}/favorites``: the current user's own favorites (seed 004)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from identity.domain.favorites import CATEGORIES, KINDS
from identity.errors import PartyNotFound
from identity.routes.caller import authenticated, collaborators
from identity.routes.query_values import or_empty
from identity.schemas.favorites import FavoriteChangesView, FavoritesBody, FavoriteView
from identity.services import favorites
from proximity.errors import PermissionDenied
from proximity.http.body import read_model
from proximity.http.responses import catalogue, one
from proximity.openapi import operation as api
from proximity.openapi.operation import documented, query

_OWN = (
    "Only for the current user: the path must be the caller's own party id. Another party of "
    "the tenant is `ePermissionDenied` (for a system administrator too), any other id "
    "`ePartyNotFound`."
)
_ERRORS = (PartyNotFound, PermissionDenied)


@documented(
    "List the current user's favorites",
    description=_OWN + " Unpaginated, oldest first.",
    answers=api.catalogue(FavoriteView),
    params=(
        query(
            "type",
            or_empty({"type": "string", "enum": list(KINDS)}),
            description="Only favorites of this type.",
        ),
        query(
            "category",
            or_empty({"type": "string", "enum": list(CATEGORIES)}),
            description="Only favorites of this category.",
        ),
    ),
    errors=_ERRORS,
)
async def list_favorites(request: Request) -> Response:
    claims = await authenticated(request)
    params = request.query_params
    items = await favorites.list_favorites(
        collaborators(request),
        claims,
        request.path_params["id"],
        kind=params.get("type") or None,
        category=params.get("category") or None,
    )
    return catalogue(items)  # the seed's answer is unpaginated: data and warnings


@documented(
    "Add or remove the current user's favorites",
    description=(
        _OWN + " Idempotent: a favorite with a non-null `deleted_at` is removed, one without is "
        "added; favorites not named are left alone. Every `party_id` must be the path's "
        "(`eValidationError`); `item_id`s are not looked up."
    ),
    answers=api.one(FavoriteChangesView),
    body=FavoritesBody,
    body_example={
        "data": [
            {
                "party_id": "8d2c4dff-8055-4d5d-ab53-bfe10ba6bde7",
                "item_id": "aa22e6df-867f-4504-a700-18db11b8abd3",
                "category": "heatmap",
                "type": "pin",
                "deleted_at": "2023-03-03T12:35:00.000Z",
            },
            {
                "party_id": "8d2c4dff-8055-4d5d-ab53-bfe10ba6bde7",
                "item_id": "26e58965-3023-4bd0-b1ca-d82654cb14fe",
                "category": "heatmap",
                "type": "favorite",
                "deleted_at": None,
            },
        ]
    },
    errors=_ERRORS,
)
async def patch_favorites(request: Request) -> Response:
    claims = await authenticated(request)
    body = await read_model(request, FavoritesBody)
    return one(
        await favorites.patch_favorites(collaborators(request), claims, request.path_params["id"], body)
    )


routes = [
    Route("/parties/{id}/favorites", list_favorites, methods=["GET"]),
    Route("/parties/{id}/favorites", patch_favorites, methods=["PATCH"]),
]
