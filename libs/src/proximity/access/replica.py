"""A service's replicas of iam's grants (``iam.permissions.updated``) and datazones
(``iam.datazone.*``), and the handlers that keep them current.

Like ``proximity.events.party_replica``: each service declares its own tables from
``GrantRow`` and ``DatazoneRow`` (``access_grant`` and ``datazone_replica``, in its own
migration) and hands them to ``AccessReplica``. Both are applied with ``apply_if_newer``; a
deleted datazone stays as a tombstone so a late, older state cannot bring it back. A payload
``contract`` other than 1, or one that breaks the contract, is parked (``UnusableEvent``).

A datazone that changes moves objects in and out of it: the handler calls the service's
``Recompute`` with the change and the tenant's new ``Territory``, in the inbox's transaction,
so membership and the replica commit together.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel, col, select

from proximity.access.datazones import (
    DATAZONE_SUBJECTS,
    IAM_PAYLOAD_CONTRACT,
    PERMISSIONS_UPDATED,
    DatazoneState,
)
from proximity.access.territory import Territory, zone_bounds
from proximity.events.consumer import SessionEventHandler
from proximity.events.envelope import Event
from proximity.events.payload import tenant_payload
from proximity.events.replica import apply_if_newer

CACHED_TERRITORIES = 256
# One user's grants may name this many operational groups (a bound on the request path's work).
MAX_ENTRIES = 1000


class GrantRow(SQLModel):
    """One user's grants: ``entries`` is the event's ``permissions``, as iam sent it."""

    party_id: uuid.UUID = SQLField(primary_key=True)
    tenant_id: uuid.UUID
    user_id: uuid.UUID | None = SQLField(default=None, index=True)
    version: int
    entries: list[dict[str, Any]] = SQLField(default_factory=list, sa_type=JSONB)


class DatazoneRow(SQLModel):
    """One datazone: ``payload`` is the event's ``data``; ``deleted`` a tombstone."""

    id: uuid.UUID = SQLField(primary_key=True)
    tenant_id: uuid.UUID = SQLField(index=True)
    version: int
    payload: dict[str, Any] = SQLField(default_factory=dict, sa_type=JSONB)
    deleted: bool = False


class _GrantItem(BaseModel):
    model_config = ConfigDict(extra="ignore")

    op_group_id: uuid.UUID | None = None
    permissions: list[str] = Field(default_factory=list, max_length=1000)
    datazone_ids: list[uuid.UUID] | None = None


class PermissionsUpdated(BaseModel):
    model_config = ConfigDict(extra="ignore")

    contract: int = IAM_PAYLOAD_CONTRACT
    party_id: uuid.UUID
    user_id: uuid.UUID | None = None
    permissions: list[_GrantItem] = Field(default_factory=list, max_length=MAX_ENTRIES)


@dataclass(frozen=True, slots=True)
class ZoneChange:
    """A datazone event that was applied: the zone before (None: new to this service) and after."""

    tenant_id: uuid.UUID
    zone_id: uuid.UUID
    before: DatazoneState | None
    after: DatazoneState

    def boxes(self) -> list[tuple[float, float, float, float]]:
        """Where objects entering or leaving the zone by their point can be (before and after)."""
        return [*(zone_bounds(self.before) if self.before else ()), *zone_bounds(self.after)]

    def by_address(self) -> bool:
        """Whether addresses decide membership, before or after: a service can find those
        candidates only by testing every object with an address."""
        return any(
            zone.type == "geo" and not zone.is_dynamic and bool(zone.addresses)
            for zone in (self.before, self.after)
            if zone is not None
        )


# The service's part: move its objects of ``change.tenant_id`` in or out of the zone.
Recompute = Callable[[AsyncSession, ZoneChange, Territory], Awaitable[None]]

G = TypeVar("G", bound=GrantRow)
D = TypeVar("D", bound=DatazoneRow)


def _contract_of(event: Event, model: type[BaseModel]) -> Any:
    return tenant_payload(event, model, contract=IAM_PAYLOAD_CONTRACT)[1]


@dataclass(frozen=True, slots=True)
class AccessReplica(Generic[G, D]):
    grants: type[G]
    datazones: type[D]
    _territories: OrderedDict[uuid.UUID, tuple[tuple[int, int], Territory]] = field(
        default_factory=OrderedDict, repr=False, compare=False
    )

    async def apply_permissions(self, session: AsyncSession, event: Event) -> bool:
        """``iam.permissions.updated``: the user's whole set, unless a newer one is stored."""
        update: PermissionsUpdated = _contract_of(event, PermissionsUpdated)
        entries = [
            {
                "op_group_id": None if item.op_group_id is None else str(item.op_group_id),
                "permissions": sorted(set(item.permissions)),
                "datazone_ids": None
                if item.datazone_ids is None
                else sorted({str(zone) for zone in item.datazone_ids}),
            }
            for item in update.permissions
        ]
        return await apply_if_newer(
            session,
            self.grants,
            key={"party_id": update.party_id},
            version=event.version,
            values={"tenant_id": event.tenant_id, "user_id": update.user_id, "entries": entries},
        )

    async def apply_datazone(self, session: AsyncSession, event: Event) -> ZoneChange | None:
        """``iam.datazone.*``: the zone's state; the change when it was newer, else None."""
        state: DatazoneState = _contract_of(event, DatazoneState)
        assert event.tenant_id is not None
        if event.type == "iam.datazone.deleted" and state.deleted_at is None:
            state = state.model_copy(update={"deleted_at": event.occurred_at})
        stored = await session.execute(
            select(self.datazones)
            .where(col(self.datazones.id) == state.id, col(self.datazones.tenant_id) == event.tenant_id)
            .with_for_update()
        )
        row = stored.scalars().first()
        applied = await apply_if_newer(
            session,
            self.datazones,
            key={"id": state.id},
            version=event.version,
            values={
                "tenant_id": event.tenant_id,
                "payload": state.model_dump(mode="json"),
                "deleted": state.deleted_at is not None,
            },
        )
        if not applied:
            return None
        before = None if row is None else DatazoneState.model_validate(row.payload)
        return ZoneChange(event.tenant_id, state.id, before, state)

    async def territory(self, session: AsyncSession, tenant_id: uuid.UUID) -> Territory:
        """The tenant's live datazones, compiled; kept per process while the tenant's rows are
        unchanged (every applied change raises one row's version, so the count and the sum of
        the versions, read by one indexed query, say whether the kept one is current)."""
        rows = col(self.datazones.tenant_id) == tenant_id
        summary = select(func.count(), func.coalesce(func.sum(col(self.datazones.version)), 0)).where(rows)
        count, total = (await session.execute(summary)).one()
        stamp = (int(count), int(total))
        kept = self._territories.get(tenant_id)
        if kept is not None and kept[0] == stamp:
            self._territories.move_to_end(tenant_id)
            return kept[1]
        query = select(col(self.datazones.payload)).where(rows, col(self.datazones.deleted).is_(False))
        payloads = (await session.execute(query)).scalars().all()
        compiled = Territory(DatazoneState.model_validate(payload) for payload in payloads)
        self._territories[tenant_id] = (stamp, compiled)
        if len(self._territories) > CACHED_TERRITORIES:
            self._territories.popitem(last=False)
        return compiled

    def permissions_handler(self) -> SessionEventHandler:
        async def handle(session: AsyncSession, event: Event) -> None:
            if event.type == PERMISSIONS_UPDATED:
                await self.apply_permissions(session, event)

        return handle

    def datazone_handler(self, recompute: Recompute) -> SessionEventHandler:
        """Applies the zone, then (when it changed) has the service recompute membership."""

        async def handle(session: AsyncSession, event: Event) -> None:
            if event.type not in DATAZONE_SUBJECTS:
                return  # a datazone subject contract 1 does not know: nothing to apply
            change = await self.apply_datazone(session, event)
            if change is not None:
                await recompute(session, change, await self.territory(session, change.tenant_id))

        return handle
