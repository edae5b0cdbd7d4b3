"""Keeping the replica of identity's parties current from ``identity.party.*``."""

from __future__ import annotations

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from assets.events.consumed import PARTY_SUBJECTS, PartyState
from assets.repositories.party_replica import apply_party
from proximity.events.consumer import UnusableEvent
from proximity.events.envelope import Event


async def apply_party_event(session: AsyncSession, event: Event) -> None:
    if event.type not in PARTY_SUBJECTS:
        return  # a party subject this contract does not know yet: nothing assets needs
    if event.tenant_id is None:
        raise UnusableEvent(f"{event.type} names no tenant")
    try:
        party = PartyState.model_validate(event.data)
    except ValidationError as exc:
        raise UnusableEvent(f"{event.type} breaks its contract: {exc}") from None
    await apply_party(
        session,
        tenant_id=event.tenant_id,
        party_id=party.id,
        deleted=party.deleted_at is not None,
        version=event.version,
    )
