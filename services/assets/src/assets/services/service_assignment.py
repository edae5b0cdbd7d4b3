"""Adding one service to many entities and removing it from others, at once."""

from __future__ import annotations

from dataclasses import replace

from assets.bootstrap import Collaborators
from assets.errors import EntitiesNotFound, MissingServices
from assets.events import entity_events
from assets.repositories import entity_queries
from assets.repositories.contract_replica import missing_services
from assets.schemas.service_assignment import ServiceAssignment
from assets.services.territories import grants_of
from proximity.auth.claims import Claims
from proximity.db.columns import now


async def assign_service(ctx: Collaborators, claims: Claims, assignment: ServiceAssignment) -> None:
    """All or nothing: every entity named must be a live entity of the tenant (the message names
    the others), and a service pushed must be a live service of the tenant (one only pulled may
    have been deleted since: removing it is always allowed). An entity named in both lists
    ends without the service. Entities already as asked get no new version."""
    named = set(assignment.push) | set(assignment.pull)
    service = assignment.service_id
    async with ctx.unit_of_work() as uow:
        grants = await grants_of(uow.session, claims)
        grants.require_granted("entities.update")
        found = await entity_queries.entities_for_update(uow.session, claims.tenant_id, sorted(named))
        missing = sorted(str(i) for i in named if i not in found or found[i].deleted_at is not None)
        if missing:
            raise EntitiesNotFound(f"These entities could not be found: {', '.join(missing)}.")
        for entity_id in sorted(named):  # all or nothing: one outside the caller's territory refuses all
            grants.require("entities.update", found[entity_id].datazone_ids)
        if assignment.push and await missing_services(uow.session, claims.tenant_id, {service}):
            raise MissingServices("The service ID given could not be found.")
        pulled = set(assignment.pull)
        for entity_id in sorted(named):
            target = found[entity_id]
            links = await entity_queries.links_of(uow.session, entity_id)
            services = set(links.service_ids)
            if entity_id in pulled:
                services.discard(service)
            else:
                services.add(service)
            if services == set(links.service_ids):
                continue
            links = replace(links, service_ids=tuple(sorted(services)))
            await entity_queries.replace_links(uow.session, target, links)
            target.version += 1
            target.updated_at = now()
            uow.publish(entity_events.entity_updated(target, links))
        await uow.commit()
