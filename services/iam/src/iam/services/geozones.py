"""``GET`` and ``PUT /datazones/{id}/geozones`` (seed 004 "LIST GeoZones for DataZone",
"UPDATE GeoZones for a DataZone"): a geo zone's geozones, replaced as a whole set
(``domain.geozones``). A replace that changes anything is a new version of the zone and
publishes its ``iam.datazone.updated``."""

from __future__ import annotations

import uuid

from iam.bootstrap import Collaborators
from iam.domain.datazone_errors import DatazoneNotFound
from iam.domain.datazones import check_takes_geozones
from iam.domain.geozones import plan_geozones
from iam.events import datazone_events
from iam.repositories import datazones
from iam.repositories.datazone_records import Geozone
from iam.schemas.datazones import GeozoneIn
from proximity.auth.claims import Claims
from proximity.auth.permissions import require
from proximity.db.columns import now


async def list_geozones(ctx: Collaborators, claims: Claims, datazone_id: uuid.UUID) -> list[Geozone]:
    """A commercial zone has none: always ``[]`` (seed 004)."""
    require(claims, "datazones.view")
    async with ctx.snapshot() as session:
        found = await datazones.datazone(session, claims.tenant_id, datazone_id)
        if found is None:
            raise DatazoneNotFound()
        if found.type != "geo":
            return []
        return (await datazones.geozones_of(session, [found.id]))[found.id]


def _shape(zone: Geozone) -> tuple[object, ...]:
    return (zone.id, zone.name, zone.lat, zone.long, zone.radius, zone.wkt)


async def replace_geozones(
    ctx: Collaborators, claims: Claims, datazone_id: uuid.UUID, given: list[GeozoneIn]
) -> list[Geozone]:
    require(claims, "datazones.update")
    async with ctx.unit_of_work() as uow:
        found = await datazones.datazone(uow.session, claims.tenant_id, datazone_id, for_update=True)
        if found is None or found.deleted_at is not None:
            raise DatazoneNotFound()
        check_takes_geozones(found.type)
        current = (await datazones.geozones_of(uow.session, [found.id]))[found.id]
        before = [_shape(zone) for zone in current]
        by_id = {zone.id: zone for zone in current}
        plan = plan_geozones(by_id, [zone.id for zone in given])
        await datazones.delete_geozones(uow.session, plan.deleted)
        result: list[Geozone] = []
        for position, (zone_id, fields) in enumerate(zip(plan.ids, given, strict=True)):
            geo = fields.checked
            zone = by_id.get(zone_id) or Geozone(id=zone_id, tenant_id=found.tenant_id, datazone_id=found.id)
            zone.position = position
            zone.name = fields.name
            zone.lat, zone.long, zone.radius, zone.wkt = geo.lat, geo.long, geo.radius, geo.wkt
            uow.session.add(zone)
            result.append(zone)
        await uow.session.flush()
        if [_shape(zone) for zone in result] != before:
            found.version += 1
            found.updated_at = now()
            await uow.session.flush()
            uow.publish(datazone_events.datazone_changed(found, result))
        await uow.commit()
    return result
