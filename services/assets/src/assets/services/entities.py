"""Use cases on entities: list, read, create, replace, delete (seed 004 "Entities")."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace

from sqlalchemy.ext.asyncio import AsyncSession

from assets.bootstrap import Collaborators
from assets.errors import (
    EntityNotFound,
    EntityTypeNotFound,
    MissingContacts,
    MissingIndustries,
    MissingOwners,
    MissingRoles,
    MissingServices,
)
from assets.events import entity_events
from assets.repositories import entity_catalogues, entity_queries, industries
from assets.repositories.contract_replica import missing_services
from assets.repositories.entity_queries import EntityFilter, EntityLinks
from assets.repositories.entity_records import Entity
from assets.repositories.party_replica import missing_parties
from assets.schemas.entities import EntityIn
from assets.services.contract_links import replace_links, wants_new_links
from proximity.auth.claims import Claims
from proximity.auth.permissions import require
from proximity.db.columns import now
from proximity.http.list_query import KeysetPage, ListQuery


@dataclass(frozen=True, slots=True)
class FullEntity:
    entity: Entity
    links: EntityLinks


async def list_entities(
    ctx: Collaborators, claims: Claims, filters: EntityFilter, query: ListQuery
) -> tuple[list[Entity], KeysetPage]:
    require(claims, "entities.view")
    async with ctx.snapshot() as session:
        return await entity_queries.list_page(session, claims.tenant_id, filters, query)


async def get_entity(ctx: Collaborators, claims: Claims, entity_id: uuid.UUID) -> FullEntity:
    require(claims, "entities.view")
    async with ctx.snapshot() as session:
        found = await entity_queries.entity(session, claims.tenant_id, entity_id)
        if found is None:
            raise EntityNotFound()
        return FullEntity(found, await entity_queries.links_of(session, found.id))


async def _check(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    fields: EntityIn,
    links: EntityLinks,
    current: EntityLinks | None,
) -> None:
    """Every id the entity names exists in the tenant; parties already linked stay linkable
    after identity deletes them (only new ones are checked)."""
    if not await entity_catalogues.entity_type_exists(session, tenant_id, fields.type_id):
        raise EntityTypeNotFound()
    if (
        fields.industry_id is not None
        and await industries.live_industry(session, tenant_id, fields.industry_id) is None
    ):
        raise MissingIndustries()
    added_services = set(links.service_ids) - set(current.service_ids if current else ())
    if await missing_services(session, tenant_id, added_services):
        raise MissingServices()
    owner_roles = await entity_catalogues.role_ids_of_type(session, tenant_id, "owner")
    contact_roles = await entity_catalogues.role_ids_of_type(session, tenant_id, "contact")
    if any(a.role_id not in owner_roles for a in links.owners) or any(
        a.role_id not in contact_roles for a in links.contacts
    ):
        raise MissingRoles()
    known = {a.party_id for a in (*current.owners, *current.contacts)} if current else set()
    if await missing_parties(session, tenant_id, {a.party_id for a in links.owners} - known):
        raise MissingOwners()
    if await missing_parties(session, tenant_id, {a.party_id for a in links.contacts} - known):
        raise MissingContacts()


def _apply(found: Entity, fields: EntityIn) -> None:
    found.name = fields.name
    found.description = fields.description
    found.type_id = fields.type_id
    found.industry_id = fields.industry_id
    found.phone = fields.phone
    found.url = fields.url
    found.addresses = [address.model_dump() for address in fields.addresses]
    # Seed 004: a non-null date suspends at the server's time; one already suspended keeps its.
    if fields.suspended_at is None:
        found.suspended_at = None
    elif found.suspended_at is None:
        found.suspended_at = now()


async def create_entity(ctx: Collaborators, claims: Claims, fields: EntityIn) -> FullEntity:
    require(claims, "entities.create")
    links = fields.links()
    async with ctx.unit_of_work() as uow:
        await _check(uow.session, claims.tenant_id, fields, links, None)
        found = Entity(tenant_id=claims.tenant_id, type_id=fields.type_id, name=fields.name)
        _apply(found, fields)
        uow.session.add(found)
        await uow.session.flush()
        await entity_queries.replace_links(uow.session, found, links)
        uow.publish(entity_events.entity_created(found, links))
        if wants_new_links(fields.model_fields_set, fields.contract_ids, ()):
            owned = await replace_links(
                ctx, uow.session, "entities", claims.tenant_id, found.id, fields.contract_ids
            )
            links = replace(links, contract_ids=owned)
        await uow.commit()
    return FullEntity(found, links)


async def replace_entity(
    ctx: Collaborators, claims: Claims, entity_id: uuid.UUID, fields: EntityIn
) -> FullEntity:
    """A PUT that changes nothing is not a new version and publishes nothing."""
    require(claims, "entities.update")
    async with ctx.unit_of_work() as uow:
        found = await entity_queries.entity(uow.session, claims.tenant_id, entity_id, for_update=True)
        if found is None or found.deleted_at is not None:
            raise EntityNotFound()
        current = await entity_queries.links_of(uow.session, found.id)
        links = replace(fields.links(), contract_ids=current.contract_ids)
        await _check(uow.session, claims.tenant_id, fields, links, current)
        before = entity_events.entity_state(found, current)
        _apply(found, fields)
        if entity_events.entity_state(found, links) != before:
            found.version += 1
            found.updated_at = now()
            await entity_queries.replace_links(uow.session, found, links)
            uow.publish(entity_events.entity_updated(found, links))
        if wants_new_links(fields.model_fields_set, fields.contract_ids, current.contract_ids):
            # Contracts' write last, so every local check has passed; its failure rolls back all.
            owned = await replace_links(
                ctx, uow.session, "entities", claims.tenant_id, found.id, fields.contract_ids
            )
            links = replace(links, contract_ids=owned)
        await uow.commit()
    return FullEntity(found, links)


async def delete_entity(ctx: Collaborators, claims: Claims, entity_id: uuid.UUID) -> None:
    """Soft: assets that name the entity keep the reference (``GET /entities/{id}`` still
    answers, with ``deleted_at``), but no new asset can name it. Deleting again changes nothing."""
    require(claims, "entities.delete")
    async with ctx.unit_of_work() as uow:
        found = await entity_queries.entity(uow.session, claims.tenant_id, entity_id, for_update=True)
        if found is None:
            raise EntityNotFound()
        if found.deleted_at is None:
            found.deleted_at = found.updated_at = now()
            found.version += 1
            uow.publish(
                entity_events.entity_deleted(found, await entity_queries.links_of(uow.session, found.id))
            )
        await uow.commit()
