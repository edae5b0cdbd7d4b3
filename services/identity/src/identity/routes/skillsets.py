"""``/skillsets``: list, get, create, replace, delete."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from identity.errors import SkillSetNotFound
from identity.repositories.skillsets import SORTABLE
from identity.routes.caller import authenticated, collaborators
from identity.routes.path_ids import path_id
from identity.schemas.skillsets import SkillSetWrite
from identity.services import skillsets
from proximity.http.body import read_model
from proximity.http.list_query import parse_list_query
from proximity.http.responses import created, many, no_content, one, public_url


async def list_skillsets(request: Request) -> Response:
    claims = await authenticated(request)
    listing = parse_list_query(request.query_params, sortable=SORTABLE)
    items, total = await skillsets.list_skillsets(collaborators(request), claims, listing)
    return many(items, query=listing, total=total, url=public_url(request))


async def get_skillset(request: Request) -> Response:
    claims = await authenticated(request)
    skillset_id = path_id(request, SkillSetNotFound)
    return one(await skillsets.get_skillset(collaborators(request), claims, skillset_id))


async def create_skillset(request: Request) -> Response:
    claims = await authenticated(request)
    body = await read_model(request, SkillSetWrite)
    return created(await skillsets.create_skillset(collaborators(request), claims, body))


async def replace_skillset(request: Request) -> Response:
    claims = await authenticated(request)
    skillset_id = path_id(request, SkillSetNotFound)
    body = await read_model(request, SkillSetWrite)
    return one(await skillsets.replace_skillset(collaborators(request), claims, skillset_id, body))


async def delete_skillset(request: Request) -> Response:
    claims = await authenticated(request)
    await skillsets.delete_skillset(collaborators(request), claims, path_id(request, SkillSetNotFound))
    return no_content()


routes = [
    Route("/skillsets", list_skillsets, methods=["GET"]),
    Route("/skillsets", create_skillset, methods=["POST"]),
    Route("/skillsets/{id}", get_skillset, methods=["GET"]),
    Route("/skillsets/{id}", replace_skillset, methods=["PUT"]),
    Route("/skillsets/{id}", delete_skillset, methods=["DELETE"]),
]
