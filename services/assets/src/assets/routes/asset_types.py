"""``/assets/~/types`` (seed 004 "LIST Asset Types")."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from assets.routes.caller import authenticated, collaborators
from assets.schemas.asset_types import AssetTypeView, asset_type_view
from assets.services import asset_types
from proximity.http.responses import catalogue
from proximity.openapi import operation as api
from proximity.openapi.operation import documented


@documented(
    "List asset types",
    description=(
        "The tenant's whole catalogue of asset types, unpaginated. Each type's `config` says "
        "which parent types it may sit under (`allow_parents`; none: no parent), whether it "
        "needs one, and whether it permits an address and geo. Every tenant starts with Site, "
        "Building (under a site), Floor (under a building; no location of its own) and Unit "
        "(under a site, building or floor)."
    ),
    answers=api.catalogue(AssetTypeView),
    permission="assets.view",
)
async def list_asset_types(request: Request) -> Response:
    claims = await authenticated(request)
    found = await asset_types.list_types(collaborators(request), claims)
    return catalogue([asset_type_view(item) for item in found])


routes = [Route("/assets/~/types", list_asset_types, methods=["GET"])]
