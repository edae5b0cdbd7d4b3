"""Who may see and change which contracts: the caller's grants (from the replica of iam's,
``proximity.access``) and the datazones each contract lies in (``datazone_ids``).

A contract lies in a zone that names it (``contract_ids``) or one of its entities
(``entity_ids``, geo and commercial zones alike), and in a dynamic commercial zone naming the
industry of one of its entities (as assets announced it). It has no point and no address, so
dynamic geo zones (geozones) and static geo zones' addresses never take it (docs/decisions.md).

Membership is computed by contracts, in the transaction of every change that can move a
contract in or out of a zone: a write of the contract or of its entity links (create, replace,
batch, ``assign_contract``, ``/internal/links``, an entity deleted), an entity's new industry,
and a datazone event (the zone's candidates: the contracts in it now and those its new rules
can take in). Deriving it is no new version of the contract and publishes nothing.

Services (``/services``) are not located: their checks stay plain tag checks, with the tags
the replica grants (``proximity.access.caller.claims_with_grants``).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.repositories.access_replica import AccessGrant, access
from contracts.repositories.asset_replica import industries_of
from contracts.repositories.contract_records import Contract
from contracts.repositories.memberships import Candidates, contract_place, contract_places
from proximity.access.caller import caller_access, claims_with_grants
from proximity.access.grants import Grants
from proximity.access.membership import stored, write_memberships
from proximity.access.replica import ZoneChange
from proximity.access.territory import Territory
from proximity.auth.claims import Claims


async def grants_of(session: AsyncSession, claims: Claims) -> Grants:
    return await caller_access(claims, session, AccessGrant)


async def granted_claims(session: AsyncSession, claims: Claims) -> Claims:
    return claims_with_grants(claims, await grants_of(session, claims))


async def place_contract(
    session: AsyncSession,
    found: Contract,
    entity_ids: Collection[uuid.UUID],
    territory: Territory | None = None,
) -> list[uuid.UUID]:
    """Sets ``found.datazone_ids`` for the contract linking ``entity_ids`` (what it links after
    the write under way) against the tenant's datazones."""
    if territory is None:
        territory = await access.territory(session, found.tenant_id)
    industries = await industries_of(session, found.tenant_id, entity_ids)
    found.datazone_ids = stored(territory.zones_of(contract_place(found.id, entity_ids, industries)))
    return found.datazone_ids


async def _recompute(
    session: AsyncSession, tenant_id: uuid.UUID, territory: Territory, wanted: Candidates
) -> None:
    rows = await contract_places(session, tenant_id, wanted)
    if rows:
        zones = territory.zones_of_many([place for _, place in rows])
        await write_memberships(session, Contract, tenant_id, zip([i for i, _ in rows], zones, strict=True))


async def refresh(session: AsyncSession, tenant_id: uuid.UUID, contract_ids: Collection[uuid.UUID]) -> None:
    """Membership of these contracts again, after something they depend on changed (an
    entity's industry). Written with UPDATEs: a contract loaded in the session is stale."""
    if contract_ids:
        territory = await access.territory(session, tenant_id)
        await _recompute(session, tenant_id, territory, Candidates(ids=contract_ids))


async def zone_changed(session: AsyncSession, change: ZoneChange, territory: Territory) -> None:
    """A datazone event applied (``proximity.access.replica``): the contracts in the zone now
    and those its new rules can take in are tested again against the tenant's whole territory."""
    zone = change.after
    if zone.live:
        wanted = Candidates(
            zone_id=change.zone_id,
            contract_ids=zone.contract_ids,
            entity_ids=zone.entity_ids,
            industry_ids=zone.industry_ids,
        )
    else:
        wanted = Candidates(zone_id=change.zone_id)  # it holds nothing now: only its members leave
    await _recompute(session, change.tenant_id, territory, wanted)


apply_permissions_event = access.permissions_handler()
apply_datazone_event = access.datazone_handler(zone_changed)
