"""``/features``, ``/features/~/categories`` and ``/features/{id}`` (seed 004 "Features")."""

from __future__ import annotations

import uuid

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from iam.errors import FeatureNotFound
from iam.repositories.features import SORTS, FeatureFilter
from iam.routes.caller import authenticated, collaborators
from iam.schemas.features import FeatureCategoryView, FeatureView, category_view, feature_view
from iam.services import features
from proximity.db.listing import MAX_OFFSET
from proximity.http.list_query import parse_list_query
from proximity.http.responses import catalogue, many, one, public_url
from proximity.openapi import operation as api
from proximity.openapi.envelopes import list_parameters
from proximity.openapi.operation import documented


def _feature_id(request: Request) -> uuid.UUID:
    # seed 004: an id that is not a feature's, malformed or not, is 400 eFeatureNotFound.
    try:
        return uuid.UUID(request.path_params["id"])
    except ValueError:
        raise FeatureNotFound() from None


@documented(
    "List features",
    description=(
        "The tenant's features, one per permission tag (`permission`), with any filters applied; "
        "deleted ones only when named in `ids[]`. `keywords`: every word must start a word of the "
        "name."
    ),
    answers=api.many(FeatureView),
    params=list_parameters(sortable=SORTS, max_offset=MAX_OFFSET),
    permission="features.view",
)
async def list_features(request: Request) -> Response:
    claims = await authenticated(request)
    listing = parse_list_query(
        request.query_params, sortable=SORTS, default_sort="+name", max_offset=MAX_OFFSET
    )
    filters = FeatureFilter(ids=listing.ids, keywords=listing.keywords)
    found, page = await features.list_features(collaborators(request), claims, filters, listing)
    return many([feature_view(item) for item in found], query=listing, total=page, url=public_url(request))


@documented(
    "List feature categories",
    description=(
        "The tenant's whole catalogue of feature categories, unpaginated, by name: one per "
        "resource of the permission catalogue, its `sys_name` the resource (`assets`)."
    ),
    answers=api.catalogue(FeatureCategoryView),
    permission="features.view",
)
async def list_feature_categories(request: Request) -> Response:
    claims = await authenticated(request)
    found = await features.list_categories(collaborators(request), claims)
    return catalogue([category_view(item) for item in found])


@documented(
    "Get a feature",
    description="One feature of the tenant.",
    answers=api.one(FeatureView),
    errors=(FeatureNotFound,),
    permission="features.view",
)
async def get_feature(request: Request) -> Response:
    claims = await authenticated(request)
    found = await features.get_feature(collaborators(request), claims, _feature_id(request))
    return one(feature_view(found))


# /features/~/categories before /features/{id}.
routes = [
    Route("/features", list_features, methods=["GET"]),
    Route("/features/~/categories", list_feature_categories, methods=["GET"]),
    Route("/features/{id}", get_feature, methods=["GET"]),
]
