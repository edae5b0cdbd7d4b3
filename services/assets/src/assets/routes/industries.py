"""``/industries`` and ``/industries/{id}`` (seed 004 "Industries")."""

from __future__ import annotations

import uuid

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from assets.errors import IndustryNotFound
from assets.routes.caller import authenticated, collaborators
from assets.schemas.industries import IndustryIn, IndustryView, industry_view
from assets.services import industries
from proximity.http.body import read_model
from proximity.http.responses import catalogue, created, no_content, one
from proximity.openapi import operation as api
from proximity.openapi.operation import documented

EXAMPLE = {"name": "Mining", "archived_at": None}


def _industry_id(request: Request) -> uuid.UUID:
    try:
        return uuid.UUID(request.path_params["id"])
    except ValueError:
        raise IndustryNotFound() from None


@documented(
    "List industries",
    description="The tenant's whole catalogue of industries (archived ones too), unpaginated.",
    answers=api.catalogue(IndustryView),
    permission="industries.view",
)
async def list_industries(request: Request) -> Response:
    claims = await authenticated(request)
    found = await industries.list_industries(collaborators(request), claims)
    return catalogue([industry_view(item) for item in found])


@documented(
    "Get an industry",
    answers=api.one(IndustryView),
    errors=(IndustryNotFound,),
    permission="industries.view",
)
async def get_industry(request: Request) -> Response:
    claims = await authenticated(request)
    return one(
        industry_view(await industries.get_industry(collaborators(request), claims, _industry_id(request)))
    )


@documented(
    "Create an industry",
    description="Its id is generated; a non-null `archived_at` archives it at the server's time.",
    answers=api.created(IndustryView),
    body=IndustryIn,
    body_example=EXAMPLE,
    permission="industries.create",
)
async def create_industry(request: Request) -> Response:
    claims = await authenticated(request)
    fields = await read_model(request, IndustryIn)
    return created(industry_view(await industries.create_industry(collaborators(request), claims, fields)))


@documented(
    "Replace an industry",
    description="The whole industry; the id is taken from the URL only.",
    answers=api.one(IndustryView),
    body=IndustryIn,
    body_example=EXAMPLE,
    errors=(IndustryNotFound,),
    permission="industries.update",
)
async def replace_industry(request: Request) -> Response:
    claims = await authenticated(request)
    target = _industry_id(request)
    fields = await read_model(request, IndustryIn)
    replaced = await industries.replace_industry(collaborators(request), claims, target, fields)
    return one(industry_view(replaced))


@documented(
    "Delete an industry",
    description="It is no longer listed or found; what already names it keeps the reference.",
    answers=api.empty(),
    errors=(IndustryNotFound,),
    permission="industries.delete",
)
async def delete_industry(request: Request) -> Response:
    claims = await authenticated(request)
    await industries.delete_industry(collaborators(request), claims, _industry_id(request))
    return no_content()


routes = [
    Route("/industries", list_industries, methods=["GET"]),
    Route("/industries", create_industry, methods=["POST"]),
    Route("/industries/{id}", get_industry, methods=["GET"]),
    Route("/industries/{id}", replace_industry, methods=["PUT"]),
    Route("/industries/{id}", delete_industry, methods=["DELETE"]),
]
