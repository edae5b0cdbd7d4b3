"""Every id a contract names must exist in the tenant, checked against contracts' own tables
and its replicas of identity's parties and of assets' assets, entities and documents (never by
calling them). Only ids a write adds are checked: one already linked stays valid after its owner
deletes it, until the owner's event unlinks it."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.errors import (
    MissingAssets,
    MissingContacts,
    MissingEntities,
    MissingMedia,
    MissingOwners,
    MissingParties,
    MissingRoles,
    MissingServices,
)
from contracts.repositories.asset_replica import missing_assets, missing_entities
from contracts.repositories.contract_links import ContractLinks, LinkKind
from contracts.repositories.contract_roles import role_types_of
from contracts.repositories.document_replica import missing_documents
from contracts.repositories.party_replica import missing_parties
from contracts.repositories.services import missing_services
from proximity.errors import ProximityError


async def missing_of_kind(
    session: AsyncSession, tenant_id: uuid.UUID, kind: LinkKind, ids: set[uuid.UUID]
) -> ProximityError | None:
    """The error for ``ids`` of ``kind`` that are no live object of the tenant, or None."""
    if not ids:
        return None
    if kind == "assets":
        return MissingAssets() if await missing_assets(session, tenant_id, ids) else None
    if kind == "entities":
        return MissingEntities() if await missing_entities(session, tenant_id, ids) else None
    if kind == "parties":
        return MissingParties() if await missing_parties(session, tenant_id, ids) else None
    return MissingServices() if await missing_services(session, tenant_id, ids) else None


async def check_links(
    session: AsyncSession, tenant_id: uuid.UUID, wanted: ContractLinks, current: ContractLinks | None
) -> None:
    # The seed's order of its error table: services, parties, then entities and assets.
    for kind in ("services", "parties", "entities", "assets"):
        added = set(wanted.of(kind)) - set(current.of(kind) if current else ())
        error = await missing_of_kind(session, tenant_id, kind, added)
        if error is not None:
            raise error


async def check_media(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    wanted: Iterable[uuid.UUID],
    current: Iterable[uuid.UUID] = (),
) -> None:
    """Each document new to the contract a live document of the tenant in contracts' replica
    of assets' documents (``eAttemptSaveWithMissingMedia``); one already named stays valid
    after assets deletes it."""
    if await missing_documents(session, tenant_id, set(wanted) - set(current)):
        raise MissingMedia()


def _pairs(rows: Iterable[dict[str, str]]) -> set[tuple[uuid.UUID, uuid.UUID]]:
    return {(uuid.UUID(r["party_id"]), uuid.UUID(r["role_id"])) for r in rows}


async def check_associations(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    owners: list[dict[str, str]],
    contacts: list[dict[str, str]],
    current_owners: list[dict[str, str]] | None = None,
    current_contacts: list[dict[str, str]] | None = None,
) -> None:
    """Each owner in an owner role and each contact in a contact role of the tenant
    (``eAttemptSaveWithMissingRoles``); each party new to the contract a live party
    (``eAttemptSaveWithMissingOwners`` / ``…Contacts``)."""
    owner_pairs, contact_pairs = _pairs(owners), _pairs(contacts)
    types = await role_types_of(session, tenant_id, [role for _, role in owner_pairs | contact_pairs])
    if any(types.get(role) != "owner" for _, role in owner_pairs) or any(
        types.get(role) != "contact" for _, role in contact_pairs
    ):
        raise MissingRoles()
    known = {party for party, _ in _pairs([*(current_owners or []), *(current_contacts or [])])}
    if await missing_parties(session, tenant_id, {party for party, _ in owner_pairs} - known):
        raise MissingOwners()
    if await missing_parties(session, tenant_id, {party for party, _ in contact_pairs} - known):
        raise MissingContacts()
