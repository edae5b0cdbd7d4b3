"""``/parties/~/skillsets``: which parties hold which skillsets.

Listed in ``app.py`` before every ``/parties/{id}...`` module: Starlette matches routes in
order, and ``{id}`` would otherwise take ``~``.
"""

from __future__ import annotations

import uuid

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from identity.errors import AttemptSaveWithMissingSkillSets, PartiesNotFound
from identity.routes.caller import authenticated, collaborators
from identity.routes.query_values import OPTIONAL_UUID
from identity.schemas.party_skillsets import PartySkillSetsView, PartySkillSetsWrite, PartySkillSetView
from identity.services import party_skillsets
from proximity.errors import ValidationFailed
from proximity.http.body import read_model
from proximity.http.list_query import parse_uuids
from proximity.http.responses import catalogue, one
from proximity.openapi import operation as api
from proximity.openapi.operation import documented, query


def _one_id(request: Request, name: str) -> uuid.UUID | None:
    raw = (request.query_params.get(name) or "").strip()
    return parse_uuids([raw], name)[0] if raw else None


@documented(
    "List the skillsets parties hold",
    description=(
        "Every pair of the party, or of the skillset, unpaginated; give `party_id`, "
        "`skillset_id` or both (neither is `eValidationError`). Deleted pairs, and pairs of a "
        "deleted party or skillset, are left out; unknown ids give an empty list."
    ),
    answers=api.catalogue(PartySkillSetView),
    params=(
        query("party_id", OPTIONAL_UUID, description="The pairs of this party."),
        query("skillset_id", OPTIONAL_UUID, description="The pairs of this skillset."),
    ),
    permission="parties.view",
    operation_id="list_party_skillsets",
)
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


@documented(
    "Save the skillsets parties hold",
    description=(
        "Idempotent: each pair given takes the state given, pairs not named are left alone. "
        "A date in `deleted_at` removes the pair (the server's time is kept), null restores it. "
        "Each pair at most once per request; `effected_at` is accepted for `effective_at`."
    ),
    answers=api.one(PartySkillSetsView),
    body=PartySkillSetsWrite,
    body_example={
        "data": [
            {
                "party_id": "b54245c3-e668-46fb-80f6-acc268659bd1",
                "skillset_id": "8b9fbb06-c350-49b8-8622-6b35338b9353",
                "effective_at": "2023-01-01T12:35:00.000Z",
                "expires_at": "2023-02-02T12:35:00.000Z",
                "doc_url": "http://test-doc.com",
                "deleted_at": None,
            }
        ]
    },
    errors=(PartiesNotFound, AttemptSaveWithMissingSkillSets),
    permission="parties.update",
    operation_id="save_party_skillsets",
)
async def save_held(request: Request) -> Response:
    claims = await authenticated(request)
    body = await read_model(request, PartySkillSetsWrite)
    return one(await party_skillsets.save_held_skillsets(collaborators(request), claims, body.data))


routes = [
    Route("/parties/~/skillsets", list_held, methods=["GET"]),
    Route("/parties/~/skillsets", save_held, methods=["PUT"]),
]
