"""``/parties/~/skillsets``: which parties hold which skillsets.

Listed in ``app.py`` before every ``/parties/{id}...`` module: Starlette matches routes in
order, and ``{id}`` would otherwise take ``~``.
"""

from __future__ import annotations

import uuid

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from identity.routes.caller import authenticated, collaborators
from identity.schemas.party_skillsets import PartySkillSetsWrite
from identity.services import party_skillsets
from proximity.errors import ValidationFailed
from proximity.http.body import read_model
from proximity.http.list_query import parse_uuids
from proximity.http.responses import catalogue, one


def _one_id(request: Request, name: str) -> uuid.UUID | None:
    raw = (request.query_params.get(name) or "").strip()
    return parse_uuids([raw], name)[0] if raw else None


async def list_held(request: Request) -> Response:
    claims = await authenticated(request)
    party_id, skillset_id = _one_id(request, "party_id"), _one_id(request, "skillset_id")
    if party_id is None and skillset_id is None:
        raise ValidationFailed(
            "Either party_id or skillset_id must be given.", fields={"party_id": "required"}
        )
    items = await party_skillsets.held_skillsets(
        collaborators(request), claims, party_id=party_id, skillset_id=skillset_id
    )
    return catalogue(items)


async def save_held(request: Request) -> Response:
    claims = await authenticated(request)
    body = await read_model(request, PartySkillSetsWrite)
    return one(await party_skillsets.save_held_skillsets(collaborators(request), claims, body.data))


routes = [
    Route("/parties/~/skillsets", list_held, methods=["GET"]),
    Route("/parties/~/skillsets", save_held, methods=["PUT"]),
]
