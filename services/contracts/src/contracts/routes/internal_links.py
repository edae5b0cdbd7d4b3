"""``/internal/links/{assets|entities}/{id}``: the contract links assets forwards
(docs/internal-api.md). Only assets calls them, with a service token for contracts carrying
``contracts.write``; the gateway never routes ``/internal``."""

from __future__ import annotations

import uuid

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from contracts.errors import MissingContracts
from contracts.repositories.contract_links import LinkKind
from contracts.routes.caller import collaborators
from contracts.schemas.internal_links import LinkChange, LinksReplacement, ObjectLinksView
from contracts.services.internal_links import ObjectLinks, change_object_link, replace_object_links
from proximity.auth.caller import guard_of
from proximity.errors import RouteNotFound, ValidationFailed
from proximity.http.body import read_model
from proximity.http.responses import one
from proximity.openapi import operation as api
from proximity.openapi.operation import UUID_SCHEMA, documented

SCOPE = "contracts.write"
KINDS: tuple[LinkKind, ...] = ("assets", "entities")
_PARAMS = (
    api.path("kind", {"type": "string", "enum": list(KINDS)}, description="What is linked."),
    api.path("id", UUID_SCHEMA, description="The asset's or entity's id (assets' authority: not checked)."),
)
_RULES = (
    "For assets' service token (`aud: contracts`, scope `contracts.write`, the tenant in `tid`): "
    "a user's token or another scope is 403. Idempotent: the same request twice changes "
    "nothing the second time. A contract to link must be a live contract of the tenant "
    "(`eAttemptSaveWithMissingContracts`, nothing changed); a suspended one is fine. Each "
    "contract whose links change gets a new version, published as `contracts.contract.updated`; "
    "`links` gives it, for each contract linked after the write and each it unlinked."
)


def _target(request: Request) -> tuple[LinkKind, uuid.UUID]:
    kind = request.path_params["kind"]
    if kind not in KINDS:
        raise RouteNotFound()
    try:
        return kind, uuid.UUID(request.path_params["id"])
    except ValueError:
        raise ValidationFailed("The id must be a UUID.", fields={"id": "uuid"}) from None


def _view(answer: ObjectLinks) -> dict[str, object]:
    return {
        "object_id": answer.object_id,
        "contract_ids": answer.contract_ids,
        "links": [
            {"contract_id": x.contract_id, "linked": x.linked, "version": x.version} for x in answer.links
        ],
    }


@documented(
    "Replace an asset's or entity's contracts",
    description="Afterwards the object is linked to exactly `contract_ids`. " + _RULES,
    answers=api.one(ObjectLinksView),
    body=LinksReplacement,
    params=_PARAMS,
    errors=(MissingContracts,),
    permission=SCOPE,
    internal=True,
)
async def replace_links(request: Request) -> Response:
    claims = await guard_of(request).service(request, scope=SCOPE)
    kind, object_id = _target(request)
    body = await read_model(request, LinksReplacement)
    answer = await replace_object_links(collaborators(request), claims, kind, object_id, body.contract_ids)
    return one(_view(answer))


@documented(
    "Assign one contract to an asset or entity and unassign one",
    description=(
        "`assign` and `unassign` may each be null; assigning a linked contract or unassigning an "
        "unlinked (or unknown) one is a no-op. " + _RULES
    ),
    answers=api.one(ObjectLinksView),
    body=LinkChange,
    params=_PARAMS,
    errors=(MissingContracts,),
    permission=SCOPE,
    internal=True,
)
async def change_link(request: Request) -> Response:
    claims = await guard_of(request).service(request, scope=SCOPE)
    kind, object_id = _target(request)
    body = await read_model(request, LinkChange)
    answer = await change_object_link(
        collaborators(request), claims, kind, object_id, assign=body.assign, unassign=body.unassign
    )
    return one(_view(answer))


routes = [
    Route("/internal/links/{kind}/{id}", replace_links, methods=["PUT"]),
    Route("/internal/links/{kind}/{id}", change_link, methods=["PATCH"]),
]
