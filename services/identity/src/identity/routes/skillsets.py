"""``/skillsets``: list, get, create, replace, delete."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from identity.errors import SkillSetCategoryNotFound, SkillSetNotFound, SkillSetTypeNotFound
from identity.repositories.skillsets import SORTABLE
from identity.routes.caller import authenticated, collaborators
from identity.routes.path_ids import path_id
from identity.schemas.skillsets import SkillSetView, SkillSetWrite
from identity.services import skillsets
from proximity.http.body import read_model
from proximity.http.list_query import parse_list_query
from proximity.http.responses import created, many, no_content, one, public_url
from proximity.openapi import operation as api
from proximity.openapi.envelopes import list_parameters
from proximity.openapi.operation import documented

_EXAMPLE = {
    "name": "Fire Extinguisher",
    "description": "Lorem ipsum dolor sit amet, consectetur adipiscing...",
    "suspended_at": None,
    "type_id": None,
    "category_id": None,
}
_WHOLE = (
    "The whole skillset. A non-null `suspended_at` suspends it (at the server's time; "
    "suspending again keeps the first time), null reactivates it. `type_id` and "
    "`category_id` must name the tenant's skillset types and categories. Read-only fields "
    "echoed back from a read are ignored."
)
_REFERENCES = (SkillSetTypeNotFound, SkillSetCategoryNotFound)


@documented(
    "List skillsets",
    description=(
        "The skillsets of the tenant; deleted ones are left out unless named in `ids[]`. "
        "`keywords` searches the name."
    ),
    answers=api.many(SkillSetView),
    params=list_parameters(sortable=SORTABLE),
    permission="skillsets.view",
)
async def list_skillsets(request: Request) -> Response:
    claims = await authenticated(request)
    listing = parse_list_query(request.query_params, sortable=SORTABLE)
    items, total = await skillsets.list_skillsets(collaborators(request), claims, listing)
    return many(items, query=listing, total=total, url=public_url(request))


@documented(
    "Get a skillset",
    description="A deleted skillset is `eSkillSetNotFound`.",
    answers=api.one(SkillSetView),
    errors=(SkillSetNotFound,),
    permission="skillsets.view",
)
async def get_skillset(request: Request) -> Response:
    claims = await authenticated(request)
    skillset_id = path_id(request, SkillSetNotFound)
    return one(await skillsets.get_skillset(collaborators(request), claims, skillset_id))


@documented(
    "Create a skillset",
    description=_WHOLE + " The id is generated.",
    answers=api.created(SkillSetView),
    body=SkillSetWrite,
    body_example=_EXAMPLE,
    errors=_REFERENCES,
    permission="skillsets.create",
)
async def create_skillset(request: Request) -> Response:
    claims = await authenticated(request)
    body = await read_model(request, SkillSetWrite)
    return created(await skillsets.create_skillset(collaborators(request), claims, body))


@documented(
    "Replace a skillset",
    description=_WHOLE + " The id is taken from the URL only; a deleted skillset is `eSkillSetNotFound`.",
    answers=api.one(SkillSetView),
    body=SkillSetWrite,
    body_example=_EXAMPLE,
    errors=(SkillSetNotFound, *_REFERENCES),
    permission="skillsets.update",
)
async def replace_skillset(request: Request) -> Response:
    claims = await authenticated(request)
    skillset_id = path_id(request, SkillSetNotFound)
    body = await read_model(request, SkillSetWrite)
    return one(await skillsets.replace_skillset(collaborators(request), claims, skillset_id, body))


@documented(
    "Delete a skillset",
    description="A soft delete; a skillset already deleted is `eSkillSetNotFound`.",
    answers=api.empty(),
    errors=(SkillSetNotFound,),
    permission="skillsets.delete",
)
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
