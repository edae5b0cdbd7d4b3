"""``GET /parties/~/types`` and ``GET /jobtitles``: catalogues, whole and unpaginated (seed 004)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from identity.routes.caller import authenticated, collaborators
from identity.services.party_catalogues import list_job_titles, list_party_types
from proximity.http.responses import catalogue


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
