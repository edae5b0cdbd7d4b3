"""Use cases on datazones: list, read, create, replace, delete (seed 004 "Datazones")."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from iam.bootstrap import Collaborators
from iam.domain.datazone_errors import DatazoneNotFound
from iam.domain.datazones import check_contents, check_type_kept
from iam.events import datazone_events
from iam.repositories import datazones
from iam.repositories.datazone_records import Datazone, Geozone
from iam.repositories.datazones import DatazoneFilter
from iam.schemas.datazones import DatazoneIn
from iam.services.datazone_checks import (
    as_ids,
    check_references,
    is_live,
    note_territory_change,
    owners_as_parties,
)
from proximity.auth.claims import Claims
from proximity.auth.permissions import require
from proximity.db.columns import now
from proximity.http.list_query import ListQuery


@dataclass(frozen=True, slots=True)
class FullDatazone:
    datazone: Datazone
    owner_ids: list[uuid.UUID]
    operational: int | None = None


@dataclass(frozen=True, slots=True)
class DatazonePage:
    items: list[Datazone]
    total: int
    operational: dict[uuid.UUID, int] | None
    geozones: dict[uuid.UUID, list[Geozone]] | None


async def list_datazones(
    ctx: Collaborators,
    claims: Claims,
    filters: DatazoneFilter,
    query: ListQuery,
    *,
    counts: bool = False,
    geozones: bool = False,
) -> DatazonePage:
    require(claims, "datazones.view")
    async with ctx.snapshot() as session:
        found, total = await datazones.list_page(session, claims.tenant_id, filters, query)
        ids = [zone.id for zone in found]
        return DatazonePage(
            found,
            total,
            await datazones.operational_counts(session, claims.tenant_id, ids) if counts else None,
            await datazones.geozones_of(session, ids) if geozones else None,
        )


async def get_datazone(
    ctx: Collaborators, claims: Claims, datazone_id: uuid.UUID, *, counts: bool = False
) -> FullDatazone:
    require(claims, "datazones.view")
    async with ctx.snapshot() as session:
        found = await datazones.datazone(session, claims.tenant_id, datazone_id)
        if found is None:
            raise DatazoneNotFound()
        operational = None
        if counts:
            operational = (await datazones.operational_counts(session, claims.tenant_id, [found.id]))[
                found.id
            ]
        return FullDatazone(found, await datazones.owners_of(session, found.id), operational)


def _apply(found: Datazone, fields: DatazoneIn) -> None:
    ids = fields.ids()
    found.name = fields.name
    found.description = fields.description
    found.is_dynamic = fields.is_dynamic
    found.addresses = fields.address_rows()
    found.industry_ids = ids["industry_ids"]
    found.entity_ids = ids["entity_ids"]
    found.contract_ids = ids["contract_ids"]
    # Seed 004: a non-null date suspends at the server's time; one already suspended keeps its.
    if fields.suspended_at is None:
        found.suspended_at = None
    elif found.suspended_at is None:
        found.suspended_at = now()


def _state(found: Datazone) -> tuple[object, ...]:
    return (
        found.name,
        found.description,
        found.is_dynamic,
        list(found.addresses),
        list(found.industry_ids),
        list(found.entity_ids),
        list(found.contract_ids),
        found.suspended_at,
    )


async def create_datazone(ctx: Collaborators, claims: Claims, fields: DatazoneIn) -> FullDatazone:
    require(claims, "datazones.create")
    check_contents(fields.type, fields.addresses, fields.industry_ids)
    wanted = fields.ids()
    async with ctx.unit_of_work() as uow:
        wanted["owner_ids"] = await owners_as_parties(uow.session, claims.tenant_id, wanted["owner_ids"])
        await check_references(uow.session, claims.tenant_id, wanted)
        found = Datazone(tenant_id=claims.tenant_id, name=fields.name, type=fields.type)
        _apply(found, fields)
        uow.session.add(found)
        await uow.session.flush()
        await datazones.replace_owners(uow.session, found, wanted["owner_ids"])
        uow.publish(datazone_events.datazone_created(found, []))
        await uow.commit()
    return FullDatazone(found, wanted["owner_ids"])


async def _locked(session: AsyncSession, claims: Claims, datazone_id: uuid.UUID) -> Datazone:
    found = await datazones.datazone(session, claims.tenant_id, datazone_id, for_update=True)
    if found is None or found.deleted_at is not None:
        raise DatazoneNotFound()
    return found


async def replace_datazone(
    ctx: Collaborators, claims: Claims, datazone_id: uuid.UUID, fields: DatazoneIn
) -> FullDatazone:
    """A PUT that changes nothing is not a new version and publishes nothing."""
    require(claims, "datazones.update")
    wanted = fields.ids()
    async with ctx.unit_of_work() as uow:
        found = await _locked(uow.session, claims, datazone_id)
        check_type_kept(found.type, fields.type)
        check_contents(fields.type, fields.addresses, fields.industry_ids)
        held = as_ids(found, await datazones.owners_of(uow.session, found.id))
        wanted["owner_ids"] = await owners_as_parties(uow.session, claims.tenant_id, wanted["owner_ids"])
        await check_references(uow.session, claims.tenant_id, wanted, held)
        before, was_live = _state(found), is_live(found)
        _apply(found, fields)
        owners_changed = await datazones.replace_owners(uow.session, found, wanted["owner_ids"])
        if owners_changed or _state(found) != before:
            found.version += 1
            found.updated_at = now()
            await uow.session.flush()
            geozones = (await datazones.geozones_of(uow.session, [found.id]))[found.id]
            uow.publish(datazone_events.datazone_changed(found, geozones))
            await note_territory_change(uow.session, found, was_live)
        await uow.commit()
    return FullDatazone(found, wanted["owner_ids"])


async def delete_datazone(ctx: Collaborators, claims: Claims, datazone_id: uuid.UUID) -> None:
    """Soft: ``GET /datazones/{id}`` still answers, with ``deleted_at``, and ``PATCH /datazones``
    restores it; meanwhile it is in no territory. Deleting again changes nothing."""
    require(claims, "datazones.delete")
    async with ctx.unit_of_work() as uow:
        found = await datazones.datazone(uow.session, claims.tenant_id, datazone_id, for_update=True)
        if found is None:
            raise DatazoneNotFound()
        if found.deleted_at is None:
            was_live = is_live(found)
            found.deleted_at = found.updated_at = now()
            found.version += 1
            await uow.session.flush()
            geozones = (await datazones.geozones_of(uow.session, [found.id]))[found.id]
            uow.publish(datazone_events.datazone_changed(found, geozones))
            await note_territory_change(uow.session, found, was_live)
        await uow.commit()
