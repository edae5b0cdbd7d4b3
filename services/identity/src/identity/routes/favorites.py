"""``/parties/{id}/favorites``: the current user's own favorites (seed 004)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from identity.routes.caller import authenticated, collaborators
from identity.schemas.favorites import FavoritesBody
from identity.services import favorites
from proximity.http.body import read_model
from proximity.http.responses import catalogue, one


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
