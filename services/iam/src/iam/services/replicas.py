"""Keeping iam's replicas current from identity's events: a new tenant is provisioned, parties
and users are applied at their version. A party or user that changed may change someone's
effective permissions (a deleted member reaches nothing): each applied change is recorded."""

from __future__ import annotations

import uuid
from typing import TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from iam.events.consumed import PARTY_SUBJECTS, USER_SUBJECTS, PartyState, TenantCreated, UserState
from iam.repositories.party_replica import apply_party
from iam.repositories.permission_changes import record_change
from iam.repositories.user_replica import apply_user
from iam.services.tenant_provisioning import provision_tenant
from proximity.events.consumer import UnusableEvent
from proximity.events.envelope import Event

M = TypeVar("M", bound=BaseModel)


def _parsed(model: type[M], event: Event) -> M:
    try:
        return model.model_validate(event.data)
    except ValidationError as exc:
        raise UnusableEvent(f"{event.type} breaks its contract: {exc}") from None


def _tenant(event: Event) -> uuid.UUID:
    if event.tenant_id is None:
        raise UnusableEvent(f"{event.type} names no tenant")
    return event.tenant_id


async def provision_for_tenant(session: AsyncSession, event: Event) -> None:
    """``identity.tenant.created``: the tenant's catalogue, in the inbox's transaction."""
    await provision_tenant(session, _parsed(TenantCreated, event).id)


async def apply_party_event(session: AsyncSession, event: Event) -> None:
    if event.type not in PARTY_SUBJECTS:
        return  # a party subject this contract does not know yet: nothing iam needs
    tenant_id = _tenant(event)
    party = _parsed(PartyState, event)
    applied = await apply_party(
        session,
        tenant_id=tenant_id,
        party_id=party.id,
        base_type=party.base_type,
        deleted=party.deleted_at is not None,
        version=event.version,
    )
    if applied:
        await record_change(session, tenant_id, party_ids=[party.id])


async def apply_user_event(session: AsyncSession, event: Event) -> None:
    if event.type not in USER_SUBJECTS:
        return  # locks, resets, second factors: nothing iam keeps
    tenant_id = _tenant(event)
    user = _parsed(UserState, event)
    applied = await apply_user(
        session,
        tenant_id=tenant_id,
        user_id=user.id,
        party_id=user.party_id,
        deleted_at=user.deleted_at,
        version=event.version,
    )
    if applied:
        await record_change(session, tenant_id, party_ids=[user.party_id])
