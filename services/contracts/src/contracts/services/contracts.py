"""Use cases on contracts: list, read, create, replace, delete (seed 004 "Contracts")."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace

from contracts.bootstrap import Collaborators
from contracts.errors import ContractNotFound
from contracts.events import contract_events
from contracts.repositories import contract_links, contract_queries
from contracts.repositories.contract_links import ContractLinks
from contracts.repositories.contract_queries import ContractFilter
from contracts.repositories.contract_records import Contract
from contracts.schemas.contracts import ContractIn
from contracts.services.link_checks import check_associations, check_links, check_media
from contracts.services.territories import grants_of, place_contract
from proximity.access.grants import Grants
from proximity.auth.claims import Claims
from proximity.db.columns import now
from proximity.http.list_query import KeysetPage, ListQuery


@dataclass(frozen=True, slots=True)
class FullContract:
    contract: Contract
    links: ContractLinks
    grants: Grants  # the caller's: what ``__permissions__`` shows


@dataclass(frozen=True, slots=True)
class ListedContracts:
    shown: list[Contract]
    page: KeysetPage
    grants: Grants


async def list_contracts(
    ctx: Collaborators, claims: Claims, filters: ContractFilter, query: ListQuery
) -> ListedContracts:
    """Of the contracts the caller may view (``contracts.view`` in one of their datazones, or
    everywhere); one granted the tag where no contract lies sees an empty list."""
    async with ctx.snapshot() as session:
        grants = await grants_of(session, claims)
        grants.require_granted("contracts.view")
        filters = replace(filters, zones=grants.list_zones("contracts.view"))
        shown, page = await contract_queries.list_page(session, claims.tenant_id, filters, query)
    return ListedContracts(shown, page, grants)


async def get_contract(ctx: Collaborators, claims: Claims, contract_id: uuid.UUID) -> FullContract:
    async with ctx.snapshot() as session:
        grants = await grants_of(session, claims)
        grants.require_granted("contracts.view")
        found = await contract_queries.contract(session, claims.tenant_id, contract_id)
        if found is None:
            raise ContractNotFound()
        grants.require("contracts.view", found.datazone_ids)  # outside the caller's territory: 403
        return FullContract(found, await contract_links.links_of(session, found.id), grants)


def _apply(found: Contract, fields: ContractIn) -> None:
    found.name = fields.name
    found.description = fields.description
    found.starts_at = fields.starts_at
    found.expires_at = fields.expires_at
    found.url = fields.url
    found.owners = fields.owner_rows()
    found.contacts = fields.contact_rows()
    found.media_ids = list(dict.fromkeys(fields.media_ids))
    # Seed 004: a non-null date suspends at the server's time; one already suspended keeps its.
    if fields.suspended_at is None:
        found.suspended_at = None
    elif found.suspended_at is None:
        found.suspended_at = now()


def _state(found: Contract) -> tuple[object, ...]:
    return (
        found.name,
        found.description,
        found.starts_at,
        found.expires_at,
        found.url,
        found.owners,
        found.contacts,
        list(found.media_ids),
        found.suspended_at,
    )


async def create_contract(ctx: Collaborators, claims: Claims, fields: ContractIn) -> FullContract:
    """The new contract must lie within the caller's ``contracts.create`` reach (its entities'
    zones, once they are linked), else 403 and nothing is written."""
    wanted = fields.links()
    async with ctx.unit_of_work() as uow:
        grants = await grants_of(uow.session, claims)
        grants.require_granted("contracts.create")
        await check_associations(uow.session, claims.tenant_id, fields.owner_rows(), fields.contact_rows())
        await check_links(uow.session, claims.tenant_id, wanted, None)
        await check_media(uow.session, claims.tenant_id, fields.media_ids)
        found = Contract(tenant_id=claims.tenant_id, name=fields.name)
        _apply(found, fields)
        uow.session.add(found)
        await uow.session.flush()
        grants.require("contracts.create", await place_contract(uow.session, found, wanted.entity_ids))
        await contract_links.replace_links(uow.session, found, wanted)
        await uow.session.flush()
        uow.publish(contract_events.contract_created(found, wanted))
        await uow.commit()
    return FullContract(found, wanted, grants)


async def replace_contract(
    ctx: Collaborators, claims: Claims, contract_id: uuid.UUID, fields: ContractIn
) -> FullContract:
    """A PUT that changes nothing is not a new version and publishes nothing. The caller needs
    ``contracts.update`` on the contract as it is (its zones before the write)."""
    async with ctx.unit_of_work() as uow:
        grants = await grants_of(uow.session, claims)
        grants.require_granted("contracts.update")
        found = await contract_queries.contract(uow.session, claims.tenant_id, contract_id, for_update=True)
        if found is None or found.deleted_at is not None:
            raise ContractNotFound()
        grants.require("contracts.update", found.datazone_ids)
        current = await contract_links.links_of(uow.session, found.id)
        wanted = fields.links()
        await check_associations(
            uow.session,
            claims.tenant_id,
            fields.owner_rows(),
            fields.contact_rows(),
            found.owners,
            found.contacts,
        )
        await check_links(uow.session, claims.tenant_id, wanted, current)
        await check_media(uow.session, claims.tenant_id, fields.media_ids, found.media_ids)
        before = _state(found)
        _apply(found, fields)
        links_changed = await contract_links.replace_links(uow.session, found, wanted)
        await place_contract(uow.session, found, wanted.entity_ids)
        if links_changed or _state(found) != before:
            found.version += 1
            found.updated_at = now()
            await uow.session.flush()
            uow.publish(contract_events.contract_updated(found, wanted))
        await uow.commit()
    return FullContract(found, wanted, grants)


async def delete_contract(ctx: Collaborators, claims: Claims, contract_id: uuid.UUID) -> None:
    """Soft: ``GET /contracts/{id}`` still answers, with ``deleted_at``; its links stay stored
    (a restore brings them back) but a deleted contract links nothing for anyone else: its
    ``contracts.contract.deleted`` tells assets so. Deleting again changes nothing."""
    async with ctx.unit_of_work() as uow:
        grants = await grants_of(uow.session, claims)
        grants.require_granted("contracts.delete")
        found = await contract_queries.contract(uow.session, claims.tenant_id, contract_id, for_update=True)
        if found is None:
            raise ContractNotFound()
        grants.require("contracts.delete", found.datazone_ids)
        if found.deleted_at is None:
            found.deleted_at = found.updated_at = now()
            found.version += 1
            await uow.session.flush()
            uow.publish(
                contract_events.contract_deleted(found, await contract_links.links_of(uow.session, found.id))
            )
        await uow.commit()
