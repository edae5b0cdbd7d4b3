"""Setting and reading dynamic field values.

``POST /dynamicfields/values`` is all or nothing: every value is checked against its field's
type and config, its subject must be a live asset of the tenant and its object exist (assets
and parties are known here; contracts and services not yet), and the first problem is a 400
naming the value (``values.3.value``). Each saved value is published (``assets.value.updated``)
for heatmap metrics."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from assets.bootstrap import Collaborators
from assets.domain.field_values import checked_value
from assets.errors import AssetNotFound, FieldNotFound
from assets.events import field_events
from assets.repositories import asset_queries, dynamic_fields
from assets.repositories.dynamic_fields import DynamicValue
from assets.repositories.party_replica import missing_parties
from assets.schemas.dynamic_fields import ValueIn
from assets.services.territories import grants_of
from proximity.auth.claims import Claims
from proximity.errors import ValidationFailed


def _refused(position: int, part: str, problem: str) -> ValidationFailed:
    where = f"values.{position}.{part}"
    return ValidationFailed(f"'{where}' {problem}.", fields={where: problem})


async def _object_exists(session: AsyncSession, tenant_id: uuid.UUID, value: ValueIn) -> bool:
    if value.object_type == "asset":
        return await asset_queries.live_asset(session, tenant_id, value.object_id) is not None
    if value.object_type == "party":
        return not await missing_parties(session, tenant_id, {value.object_id})
    return False  # contracts and services are other contexts' and not replicated yet


async def set_values(ctx: Collaborators, claims: Claims, values: Sequence[ValueIn]) -> list[DynamicValue]:
    async with ctx.unit_of_work() as uow:
        grants = await grants_of(uow.session, claims)
        grants.require_granted("assets.update")
        fields = await dynamic_fields.live_fields(uow.session, claims.tenant_id, {v.field_id for v in values})
        saved: list[DynamicValue] = []
        for position, value in enumerate(values):
            field = fields.get(value.field_id)
            if field is None:
                raise FieldNotFound(f"Field {value.field_id} (values.{position}.field_id) does not exist.")
            if field.archived_at is not None:
                raise _refused(position, "field_id", "names an archived field")
            if value.object_type != field.object_type:
                raise _refused(
                    position, "object_type", f"must be {field.object_type}, the field's object type"
                )
            try:
                stored = checked_value(field.field_type, field.config, value.value)
            except ValueError as problem:
                raise _refused(position, "value", str(problem)) from None
            subject = await asset_queries.live_asset(uow.session, claims.tenant_id, value.subject_id)
            if subject is None:
                raise _refused(position, "subject_id", "is not an asset of the tenant")
            grants.require("assets.update", subject.datazone_ids)  # values follow their asset
            if not await _object_exists(uow.session, claims.tenant_id, value):
                raise _refused(position, "object_id", f"is not a known {value.object_type} of the tenant")
            row = {
                "field_id": field.id,
                "subject_id": value.subject_id,
                "object_id": value.object_id,
                "tenant_id": claims.tenant_id,
                "subject_type": value.subject_type,
                "object_type": value.object_type,
                "value": stored,
                "updated_by": claims.party_id,
            }
            kept = await dynamic_fields.save_value(uow.session, row)
            uow.publish(field_events.value_updated(kept, field))
            saved.append(kept)
        await uow.commit()
    return saved


async def values_of_subject(
    ctx: Collaborators,
    claims: Claims,
    subject_id: uuid.UUID,
    object_type: str,
    field_ids: Sequence[uuid.UUID],
    object_ids: Sequence[uuid.UUID],
) -> Sequence[DynamicValue]:
    async with ctx.snapshot() as session:
        grants = await grants_of(session, claims)
        grants.require_granted("assets.view")
        subject = await asset_queries.asset(session, claims.tenant_id, subject_id)
        if subject is None:
            raise AssetNotFound()
        grants.require("assets.view", subject.datazone_ids)
        return await dynamic_fields.values_of(
            session, claims.tenant_id, subject_id, object_type, field_ids, object_ids
        )
