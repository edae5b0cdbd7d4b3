"""Use cases on services: list, read, create, replace, delete (seed 004 "Services"), and the
service type and category catalogues."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.bootstrap import Collaborators
from contracts.domain.service_errors import ServiceCategoryNotFound, ServiceNotFound, ServiceTypeNotFound
from contracts.events import service_events
from contracts.repositories import service_catalogues, services
from contracts.repositories.service_catalogues import ServiceCategory, ServiceType
from contracts.repositories.services import Service, ServiceFilter
from contracts.schemas.services import ServiceIn
from proximity.auth.claims import Claims
from proximity.auth.permissions import require
from proximity.db.columns import now
from proximity.http.list_query import KeysetPage, ListQuery


async def list_services(
    ctx: Collaborators, claims: Claims, filters: ServiceFilter, query: ListQuery
) -> tuple[list[Service], KeysetPage]:
    require(claims, "services.view")
    async with ctx.snapshot() as session:  # the page and its total agree
        return await services.list_page(session, claims.tenant_id, filters, query)


async def get_service(ctx: Collaborators, claims: Claims, service_id: uuid.UUID) -> Service:
    """A deleted service too, with its ``deleted_at``: links made before the delete still name it."""
    require(claims, "services.view")
    async with ctx.reading() as session:
        found = await services.service(session, claims.tenant_id, service_id)
    if found is None:
        raise ServiceNotFound()
    return found


async def list_service_types(ctx: Collaborators, claims: Claims) -> Sequence[ServiceType]:
    require(claims, "services.view")
    async with ctx.reading() as session:
        return await service_catalogues.service_types_of(session, claims.tenant_id)


async def list_service_categories(ctx: Collaborators, claims: Claims) -> Sequence[ServiceCategory]:
    require(claims, "services.view")
    async with ctx.reading() as session:
        return await service_catalogues.service_categories_of(session, claims.tenant_id)


async def _type_key(session: AsyncSession, tenant_id: uuid.UUID, fields: ServiceIn) -> str | None:
    """The key of the service's type (what its events name), once every catalogue id the body
    names is checked to be the tenant's."""
    key = None
    if fields.type_id is not None:
        found = await service_catalogues.service_type(session, tenant_id, fields.type_id)
        if found is None:
            raise ServiceTypeNotFound()
        key = found.key
    if fields.category_id is not None and not await service_catalogues.service_category_exists(
        session, tenant_id, fields.category_id
    ):
        raise ServiceCategoryNotFound()
    return key


def _apply(found: Service, fields: ServiceIn) -> None:
    found.name = fields.name
    found.description = fields.description
    found.email = fields.email
    found.phone = fields.phone
    found.type_id = fields.type_id
    found.category_id = fields.category_id
    # Seed 004: a non-null date suspends at the server's time; one already suspended keeps its.
    if fields.suspended_at is None:
        found.suspended_at = None
    elif found.suspended_at is None:
        found.suspended_at = now()


def _state(found: Service) -> tuple[Any, ...]:
    return (
        found.name,
        found.description,
        found.email,
        found.phone,
        found.type_id,
        found.category_id,
        found.suspended_at,
    )


async def create_service(ctx: Collaborators, claims: Claims, fields: ServiceIn) -> Service:
    require(claims, "services.create")
    async with ctx.unit_of_work() as uow:
        type_key = await _type_key(uow.session, claims.tenant_id, fields)
        found = Service(tenant_id=claims.tenant_id, name=fields.name, description=fields.description)
        _apply(found, fields)
        uow.session.add(found)
        await uow.session.flush()
        uow.publish(service_events.service_created(found, type_key))
        await uow.commit()
    return found


async def replace_service(
    ctx: Collaborators, claims: Claims, service_id: uuid.UUID, fields: ServiceIn
) -> Service:
    """A PUT that changes nothing is not a new version and publishes nothing."""
    require(claims, "services.update")
    async with ctx.unit_of_work() as uow:
        found = await services.service(uow.session, claims.tenant_id, service_id, for_update=True)
        if found is None or found.deleted_at is not None:
            raise ServiceNotFound()
        type_key = await _type_key(uow.session, claims.tenant_id, fields)
        before = _state(found)
        _apply(found, fields)
        if _state(found) != before:
            found.version += 1
            found.updated_at = now()
            uow.publish(service_events.service_updated(found, type_key))
        await uow.commit()
    return found


async def delete_service(ctx: Collaborators, claims: Claims, service_id: uuid.UUID) -> None:
    """Soft: contracts, assets and entities that name the service keep the reference (``GET
    /services/{id}`` still answers, with ``deleted_at``), but it can no longer be linked.
    Deleting again changes nothing."""
    require(claims, "services.delete")
    async with ctx.unit_of_work() as uow:
        found = await services.service(uow.session, claims.tenant_id, service_id, for_update=True)
        if found is None:
            raise ServiceNotFound()
        if found.deleted_at is None:
            found.deleted_at = found.updated_at = now()
            found.version += 1
            uow.publish(service_events.service_deleted(found, await type_key_of(uow.session, found)))
        await uow.commit()


async def type_key_of(session: AsyncSession, found: Service) -> str | None:
    if found.type_id is None:
        return None
    return (await service_catalogues.type_keys(session, {found.type_id})).get(found.type_id)
