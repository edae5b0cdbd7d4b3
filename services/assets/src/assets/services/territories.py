"""Who may see and change which assets and entities: the caller's grants (from the replica of
iam's, ``proximity.access``) and the datazones each object lies in (``datazone_ids``).

Membership is computed by assets, in the transaction of every change that can move an object
in or out of a zone: an asset or entity write (its point, address, entity or industry), a
contract's links (announced or answered by contracts), and a datazone event (the zone's
candidates: the objects in it now, and those its new rules can take in). Deriving it is no new
version of the object and publishes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncSession

from assets.repositories.access_replica import AccessGrant, access
from assets.repositories.asset_records import Asset
from assets.repositories.entity_records import Entity
from assets.repositories.memberships import Candidates, asset_places, entity_places
from proximity.access.caller import caller_access
from proximity.access.grants import Grants
from proximity.access.membership import stored, write_memberships
from proximity.access.replica import ZoneChange
from proximity.access.territory import Territory, zone_bounds
from proximity.auth.claims import Claims


async def grants_of(session: AsyncSession, claims: Claims) -> Grants:
    return await caller_access(claims, session, AccessGrant)


async def place_asset(
    session: AsyncSession, found: Asset, *, contract_ids: Collection[uuid.UUID] | None = None
) -> list[uuid.UUID]:
    """Sets ``found.datazone_ids`` from its flushed state; ``contract_ids``: the contracts that
    will link it (a forwarded write not made yet), else the replica's."""
    await session.flush()
    territory = await access.territory(session, found.tenant_id)
    places = await asset_places(session, found.tenant_id, Candidates(ids=[found.id]))
    place = places[0][1]
    if contract_ids is not None:
        place = replace(place, contract_ids=frozenset(contract_ids))
    found.datazone_ids = stored(territory.zones_of(place))
    return found.datazone_ids


async def place_entity(
    session: AsyncSession, found: Entity, *, contract_ids: Collection[uuid.UUID] | None = None
) -> list[uuid.UUID]:
    await session.flush()
    territory = await access.territory(session, found.tenant_id)
    places = await entity_places(session, found.tenant_id, Candidates(ids=[found.id]))
    place = places[0][1]
    if contract_ids is not None:
        place = replace(place, contract_ids=frozenset(contract_ids))
    found.datazone_ids = stored(territory.zones_of(place))
    return found.datazone_ids


async def _recompute(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    territory: Territory,
    assets: Candidates,
    entities: Candidates,
) -> None:
    asset_rows = await asset_places(session, tenant_id, assets)
    if asset_rows:
        zones = territory.zones_of_many([place for _, place in asset_rows])
        await write_memberships(
            session, Asset, tenant_id, zip([i for i, _ in asset_rows], zones, strict=True)
        )
    entity_rows = await entity_places(session, tenant_id, entities)
    if entity_rows:
        zones = territory.zones_of_many([place for _, place in entity_rows])
        await write_memberships(
            session, Entity, tenant_id, zip([i for i, _ in entity_rows], zones, strict=True)
        )


async def refresh(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    asset_ids: Collection[uuid.UUID] = (),
    entity_ids: Collection[uuid.UUID] = (),
) -> None:
    """Membership of these objects again, after something they depend on changed (contract
    links; an entity's industry, which its assets take)."""
    if not asset_ids and not entity_ids:
        return
    territory = await access.territory(session, tenant_id)
    await _recompute(session, tenant_id, territory, Candidates(ids=asset_ids), Candidates(ids=entity_ids))


async def refresh_assets_of_entity(session: AsyncSession, tenant_id: uuid.UUID, entity_id: uuid.UUID) -> None:
    """The entity's industry changed: its assets' membership of dynamic commercial zones with it."""
    territory = await access.territory(session, tenant_id)
    await _recompute(session, tenant_id, territory, Candidates(entity_ids=[entity_id]), Candidates(ids=()))


async def zone_changed(session: AsyncSession, change: ZoneChange, territory: Territory) -> None:
    """A datazone event applied (``proximity.access.replica``): the objects in the zone now and
    those its new rules can take in are tested again against the tenant's whole territory."""
    zone = change.after
    if zone.live:
        wanted = Candidates(
            zone_id=change.zone_id,
            boxes=zone_bounds(zone),
            entity_ids=zone.entity_ids,
            contract_ids=zone.contract_ids,
            industry_ids=zone.industry_ids,
            by_address=zone.type == "geo" and not zone.is_dynamic and bool(zone.addresses),
        )
    else:
        wanted = Candidates(zone_id=change.zone_id)  # it holds nothing now: only its members leave
    await _recompute(session, change.tenant_id, territory, wanted, wanted)


apply_permissions_event = access.permissions_handler()
apply_datazone_event = access.datazone_handler(zone_changed)
