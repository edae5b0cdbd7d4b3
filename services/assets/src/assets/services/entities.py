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
from assets.services.territories import grants_of, place_entity, refresh_assets_of_entity
from proximity.access.grants import Grants
from proximity.auth.claims import Claims
from proximity.db.columns import now
from proximity.http.list_query import KeysetPage, ListQuery


@dataclass(frozen=True, slots=True)
class FullEntity:
    entity: Entity
    links: EntityLinks
    grants: Grants  # the caller's: what ``__permissions__`` shows


@dataclass(frozen=True, slots=True)
class ListedEntities:
    shown: list[Entity]
    page: KeysetPage
    grants: Grants


async def list_entities(
    ctx: Collaborators, claims: Claims, filters: EntityFilter, query: ListQuery
) -> ListedEntities:
    """Of the entities the caller may view (``entities.view`` in one of their datazones)."""
    async with ctx.snapshot() as session:
        grants = await grants_of(session, claims)
        grants.require_granted("entities.view")
        filters = replace(filters, zones=grants.list_zones("entities.view"))
        shown, page = await entity_queries.list_page(session, claims.tenant_id, filters, query)
    return ListedEntities(shown, page, grants)


async def get_entity(ctx: Collaborators, claims: Claims, entity_id: uuid.UUID) -> FullEntity:
    async with ctx.snapshot() as session:
        grants = await grants_of(session, claims)
        grants.require_granted("entities.view")
        found = await entity_queries.entity(session, claims.tenant_id, entity_id)
        if found is None:
            raise EntityNotFound()
        grants.require("entities.view", found.datazone_ids)  # outside the caller's territory: 403
        return FullEntity(found, await entity_queries.links_of(session, found.id), grants)


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
    links = fields.links()
    async with ctx.unit_of_work() as uow:
        grants = await grants_of(uow.session, claims)
        grants.require_granted("entities.create")
        await _check(uow.session, claims.tenant_id, fields, links, None)
        found = Entity(tenant_id=claims.tenant_id, type_id=fields.type_id, name=fields.name)
        _apply(found, fields)
        uow.session.add(found)
        await uow.session.flush()
        await entity_queries.replace_links(uow.session, found, links)
        uow.publish(entity_events.entity_created(found, links))
        forwarded = wants_new_links(fields.model_fields_set, fields.contract_ids, ())
        # Checked before contracts is called: a refused create writes nothing anywhere.
        zones = await place_entity(
            uow.session, found, contract_ids=fields.contract_ids if forwarded else None
        )
        grants.require("entities.create", zones)
        if forwarded:
            owned = await replace_links(
                ctx, uow.session, "entities", claims.tenant_id, found.id, fields.contract_ids
            )
            links = replace(links, contract_ids=owned)
        await uow.commit()
    return FullEntity(found, links, grants)


async def replace_entity(
    ctx: Collaborators, claims: Claims, entity_id: uuid.UUID, fields: EntityIn
) -> FullEntity:
    """A PUT that changes nothing is not a new version and publishes nothing."""
    async with ctx.unit_of_work() as uow:
        grants = await grants_of(uow.session, claims)
        grants.require_granted("entities.update")
        found = await entity_queries.entity(uow.session, claims.tenant_id, entity_id, for_update=True)
        if found is None or found.deleted_at is not None:
            raise EntityNotFound()
        grants.require("entities.update", found.datazone_ids)
        industry = found.industry_id
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
        forwarded = wants_new_links(fields.model_fields_set, fields.contract_ids, current.contract_ids)
        await place_entity(uow.session, found, contract_ids=fields.contract_ids if forwarded else None)
        if found.industry_id != industry:  # its assets take its industry (dynamic commercial zones)
            await refresh_assets_of_entity(uow.session, found.tenant_id, found.id)
        if forwarded:
            # Contracts' write last, so every local check has passed; its failure rolls back all.
            owned = await replace_links(
                ctx, uow.session, "entities", claims.tenant_id, found.id, fields.contract_ids
            )
            links = replace(links, contract_ids=owned)
        await uow.commit()
    return FullEntity(found, links, grants)


async def delete_entity(ctx: Collaborators, claims: Claims, entity_id: uuid.UUID) -> None:
    """Soft: assets that name the entity keep the reference (``GET /entities/{id}`` still
    answers, with ``deleted_at``), but no new asset can name it. Deleting again changes nothing."""
    async with ctx.unit_of_work() as uow:
        grants = await grants_of(uow.session, claims)
        grants.require_granted("entities.delete")
        found = await entity_queries.entity(uow.session, claims.tenant_id, entity_id, for_update=True)
        if found is None:
            raise EntityNotFound()
        grants.require("entities.delete", found.datazone_ids)
        if found.deleted_at is None:
            found.deleted_at = found.updated_at = now()
            found.version += 1
            uow.publish(
                entity_events.entity_deleted(found, await entity_queries.links_of(uow.session, found.id))
            )
        await uow.commit()
