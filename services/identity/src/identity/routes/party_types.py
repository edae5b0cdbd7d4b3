"""``GET /parties/~/types`` and ``GET /jobtitles``: catalogues, whole and unpaginated (seed 004)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from identity.routes.caller import authenticated, collaborators
from identity.schemas.party_types import JobTitleView, PartyTypeView
from identity.services.party_catalogues import list_job_titles, list_party_types
from proximity.http.responses import catalogue
from proximity.openapi import operation as api
from proximity.openapi.operation import documented

_WHOLE = (
    "A catalogue: the whole set, unpaginated and unfiltered, sorted by name. Any signed-in user may read it."
)


@documented(
    "List party types",
    description=_WHOLE + " Each type is over one of the two base types, `user` or `contact`.",
    answers=api.catalogue(PartyTypeView),
    operation_id="list_party_types",
)
async def party_types(request: Request) -> Response:
    claims = await authenticated(request)
    found = await list_party_types(collaborators(request), claims)
    return catalogue(
        [
            {
                "id": t.id,
                "name": t.name,
                "description": t.description,
                "base_type": t.base_type,
                "created_at": t.created_at,
            }
            for t in found
        ]
    )


@documented(
    "List job titles",
    description=_WHOLE,
    answers=api.catalogue(JobTitleView),
    operation_id="list_job_titles",
)
async def job_titles(request: Request) -> Response:
    claims = await authenticated(request)
    found = await list_job_titles(collaborators(request), claims)
    return catalogue(
        [
            {"id": t.id, "name": t.name, "created_at": t.created_at, "archived_at": t.archived_at}
            for t in found
        ]
    )


routes = [
    Route("/parties/~/types", party_types, methods=["GET"]),
    Route("/jobtitles", job_titles, methods=["GET"]),
]
