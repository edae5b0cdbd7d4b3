"""Keeping heatmaps' replicas current from the events of identity, iam and assets
(``heatmaps.events.consumed``), each applied only when newer."""

from __future__ import annotations

import uuid
from typing import TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from heatmaps.events.consumed import (
    FIELD_SUBJECTS,
    GROUP_SUBJECTS,
    PARTY_SUBJECTS,
    PAYLOAD_CONTRACT,
    FieldState,
    GroupState,
    PartyState,
)
from heatmaps.repositories.access_replica import access
from heatmaps.repositories.field_replica import apply_field
from heatmaps.repositories.group_replica import apply_group
from heatmaps.repositories.party_replica import apply_party
from proximity.access.datazones import DATAZONE_SUBJECTS
from proximity.events.consumer import UnusableEvent
from proximity.events.envelope import Event

M = TypeVar("M", bound=BaseModel)


def _parsed(model: type[M], event: Event) -> M:
    try:
        return model.model_validate(event.data)
    except ValidationError as exc:
        raise UnusableEvent(f"{event.type} breaks its contract: {exc}") from None


def _payload_contract(event: Event, contract: int) -> None:
    if contract != PAYLOAD_CONTRACT:
        raise UnusableEvent(f"{event.type} has payload contract {contract}, not {PAYLOAD_CONTRACT}")


def _tenant(event: Event) -> uuid.UUID:
    if event.tenant_id is None:
        raise UnusableEvent(f"{event.type} names no tenant")
    return event.tenant_id


async def apply_party_event(session: AsyncSession, event: Event) -> None:
    if event.type not in PARTY_SUBJECTS:
        return  # a party subject this contract does not know yet: nothing heatmaps needs
    tenant_id = _tenant(event)
    party = _parsed(PartyState, event)
    await apply_party(
        session,
        tenant_id=tenant_id,
        party_id=party.id,
        deleted=party.deleted_at is not None,
        version=event.version,
    )


async def apply_group_event(session: AsyncSession, event: Event) -> None:
    if event.type not in GROUP_SUBJECTS:
        return
    tenant_id = _tenant(event)
    group = _parsed(GroupState, event)
    _payload_contract(event, group.contract)
    deleted = group.deleted_at is not None or event.type == "iam.group.deleted"
    await apply_group(
        session,
        tenant_id=tenant_id,
        group_id=group.id,
        type_=group.type,
        deleted=deleted,
        version=event.version,
    )


async def apply_field_event(session: AsyncSession, event: Event) -> None:
    if event.type not in FIELD_SUBJECTS:
        return
    tenant_id = _tenant(event)
    found = _parsed(FieldState, event)
    _payload_contract(event, found.contract)
    deleted_at = found.deleted_at
    if deleted_at is None and event.type == "assets.field.deleted":
        deleted_at = event.occurred_at
    await apply_field(
        session,
        tenant_id=tenant_id,
        field_id=found.id,
        object_type=found.object_type,
        field_type=found.field_type,
        scalefactor=found.scalefactor(),
        archived_at=found.archived_at,
        deleted_at=deleted_at,
        version=event.version,
    )


apply_permissions_event = access.permissions_handler()


async def apply_datazone_event(session: AsyncSession, event: Event) -> None:
    """Only the replica: no heatmap lies in a zone, a query places its points in memory."""
    if event.type in DATAZONE_SUBJECTS:
        await access.apply_datazone(session, event)
