"""Queries on mail waiting to be sent (across tenants: the sender serves them all)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from identity.repositories.auth_flow_tables import PendingMail


async def next_due_for_update(session: AsyncSession, now: datetime) -> PendingMail | None:
    """The oldest mail due now, row-locked; ``SKIP LOCKED`` lets replicas send side by side."""
    query = (
        select(PendingMail)
        .where(col(PendingMail.next_attempt_at) <= now)
        .order_by(col(PendingMail.next_attempt_at))
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    return (await session.execute(query)).scalar_one_or_none()
