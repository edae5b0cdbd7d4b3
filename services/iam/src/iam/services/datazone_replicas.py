"""Keeping iam's replicas of entities, industries and contracts current from assets' and
contracts' events (``events.datazone_consumed``), at each event's version."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from iam.events.datazone_consumed import (
    CONTRACT_SUBJECTS,
    ENTITY_SUBJECTS,
    INDUSTRY_SUBJECTS,
    PAYLOAD_CONTRACT,
    EntityState,
    ReferencedState,
)
from iam.repositories import datazone_replicas
from iam.repositories.datazone_replicas import Replica
from proximity.events.consumer import UnusableEvent
from proximity.events.envelope import Event


def _state(model: type[ReferencedState], event: Event) -> tuple[uuid.UUID, ReferencedState]:
    if event.tenant_id is None:
        raise UnusableEvent(f"{event.type} names no tenant")
    try:
        state = model.model_validate(event.data)
    except ValidationError as exc:
        raise UnusableEvent(f"{event.type} breaks its contract: {exc}") from None
    if state.contract != PAYLOAD_CONTRACT:
        raise UnusableEvent(f"{event.type} has payload contract {state.contract}, not {PAYLOAD_CONTRACT}")
    return event.tenant_id, state


async def _apply(
    session: AsyncSession, event: Event, replica: Replica[Any], model: type[ReferencedState]
) -> None:
    tenant_id, state = _state(model, event)
    extra = {"industry_id": state.industry_id} if isinstance(state, EntityState) else None
    await replica.apply(
        session,
        tenant_id=tenant_id,
        object_id=state.id,
        # A ``.deleted`` event is deleted whatever its payload says.
        deleted=state.deleted_at is not None or event.type.endswith(".deleted"),
        version=event.version,
        extra=extra,
    )


async def apply_entity_event(session: AsyncSession, event: Event) -> None:
    if event.type in ENTITY_SUBJECTS:
        await _apply(session, event, datazone_replicas.entities, EntityState)


async def apply_industry_event(session: AsyncSession, event: Event) -> None:
    if event.type in INDUSTRY_SUBJECTS:
        await _apply(session, event, datazone_replicas.industries, ReferencedState)


async def apply_contract_event(session: AsyncSession, event: Event) -> None:
    if event.type in CONTRACT_SUBJECTS:
        await _apply(session, event, datazone_replicas.contracts, ReferencedState)
