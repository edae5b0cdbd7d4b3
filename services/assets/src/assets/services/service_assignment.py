"""Adding one service to many entities and removing it from others, at once."""

from __future__ import annotations

from assets.bootstrap import Collaborators
from assets.errors import EntitiesNotFound, MissingServices
from assets.repositories import entity_queries
from assets.schemas.service_assignment import ServiceAssignment
from proximity.auth.claims import Claims
from proximity.auth.permissions import require


async def assign_service(ctx: Collaborators, claims: Claims, assignment: ServiceAssignment) -> None:
    """All or nothing: every entity named must be a live entity of the tenant (the message names
    the others), and the service must exist."""
    require(claims, "entity.update")
    named = set(assignment.push) | set(assignment.pull)
    async with ctx.unit_of_work() as uow:
        found = await entity_queries.entities_for_update(uow.session, claims.tenant_id, sorted(named))
        missing = sorted(str(i) for i in named if i not in found or found[i].deleted_at is not None)
        if missing:
            raise EntitiesNotFound(f"These entities could not be found: {', '.join(missing)}.")
        # Services are contracts'; until its events feed a replica, no service id is known, so
        # neither a push nor a pull can name one yet.
        raise MissingServices("The service ID given could not be found.")
