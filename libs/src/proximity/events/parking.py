"""Where a durable consumer parks a message it gives up on, and how an operator gets it
replayed.

A message is parked when its handler failed on every one of a bounded number of deliveries,
when it is not an event envelope, when its contract version is one the consumer does not
understand, or when the handler says no retry can make it usable. It is then terminated on
the stream (so it stops holding the consumer back) and kept in ``parked_message`` with why.

An operator lists parked messages and requests a replay (``python -m proximity.events.parked``);
the running consumer of that name picks the request up and runs the message through the same
handler (its inbox keeps the effect at most once), recording ``replayed_at`` or the new reason.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col, select

from proximity.background import stop_requested
from proximity.events.tables import ParkedMessage

# Exception text can be long (a chained traceback's message); the reason says what, not all.
REASON_MAX_CHARS = 2000


def _reason(text: str) -> str:
    return text if len(text) <= REASON_MAX_CHARS else text[: REASON_MAX_CHARS - 1] + "…"


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a message came from: the key that makes parking it twice park it once."""

    stream: str
    stream_sequence: int
    subject: str
    deliveries: int


ReplayAttempt = Callable[[bytes], Awaitable[None]]


class ParkedMessages:
    """The parked messages of one consumer."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], consumer: str) -> None:
        self.consumer = consumer
        self._sessionmaker = sessionmaker

    async def park(self, origin: Origin, payload: bytes, event_id: uuid.UUID | None, reason: str) -> None:
        """Keep the message. Parked again (its termination was lost and the stream delivered it
        once more), the row keeps its replay state and takes the newer count and reason."""
        row = {
            "consumer": self.consumer,
            "stream": origin.stream,
            "stream_sequence": origin.stream_sequence,
            "subject": origin.subject,
            "event_id": event_id,
            "payload": payload,
            "deliveries": origin.deliveries,
            "reason": _reason(reason),
            "parked_at": datetime.now(UTC),
        }
        statement = insert(ParkedMessage).values(**row)
        async with self._sessionmaker() as session, session.begin():
            await session.execute(
                statement.on_conflict_do_update(
                    constraint="uq_parked_message_origin",
                    set_={"deliveries": statement.excluded.deliveries, "reason": statement.excluded.reason},
                )
            )

    async def replay_one(self, attempt: ReplayAttempt) -> bool | None:
        """Replay the oldest message an operator asked to replay: ``attempt(payload)`` runs it
        through the consumer's handler. Returns None when nothing is requested, else whether
        it succeeded. The row stays locked meanwhile, so two replicas of the consumer never
        replay the same message at once; a replay that fails records why and waits for the
        operator to ask again."""
        async with self._sessionmaker() as session, session.begin():
            row = (
                await session.execute(
                    select(ParkedMessage)
                    .where(
                        col(ParkedMessage.consumer) == self.consumer,
                        col(ParkedMessage.replay_requested_at).is_not(None),
                        col(ParkedMessage.replayed_at).is_(None),
                    )
                    .order_by(col(ParkedMessage.id))
                    .limit(1)
                    .with_for_update(skip_locked=True)
                )
            ).scalar_one_or_none()
            if row is None:
                return None
            try:
                await attempt(row.payload)
            except Exception as exc:
                if stop_requested():
                    raise
                row.reason = _reason(f"replay failed: {type(exc).__name__}: {exc}")
                row.replay_requested_at = None
                return False
            row.replayed_at = datetime.now(UTC)
            return True


async def parked_messages(
    session: AsyncSession, *, consumer: str | None = None, include_replayed: bool = False, limit: int = 100
) -> list[ParkedMessage]:
    """For an operator: the oldest first."""
    query = select(ParkedMessage).order_by(col(ParkedMessage.id)).limit(limit)
    if consumer is not None:
        query = query.where(col(ParkedMessage.consumer) == consumer)
    if not include_replayed:
        query = query.where(col(ParkedMessage.replayed_at).is_(None))
    return list((await session.execute(query)).scalars())


async def request_replay(
    session: AsyncSession, *, ids: Sequence[int] = (), consumer: str | None = None
) -> list[int]:
    """Mark parked messages (by id, or every one of ``consumer``) for their consumer to replay;
    one already replayed is left alone. Returns the ids marked."""
    if not ids and consumer is None:
        raise ValueError("name the messages (ids) or their consumer")
    statement = (
        update(ParkedMessage)
        .where(col(ParkedMessage.replayed_at).is_(None))
        .values(replay_requested_at=datetime.now(UTC))
        .returning(col(ParkedMessage.id))
    )
    if ids:
        statement = statement.where(col(ParkedMessage.id).in_(list(ids)))
    if consumer is not None:
        statement = statement.where(col(ParkedMessage.consumer) == consumer)
    return sorted(i for i in (await session.execute(statement)).scalars() if i is not None)
