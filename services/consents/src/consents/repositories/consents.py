"""Loading and saving ``Consent`` aggregates: rows ↔ domain, history appended, versions checked."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from consents.domain.consent import Consent
from consents.domain.document import Document
from consents.domain.history import Actor, ActorKind, HistoryEntry
from consents.domain.states import Action, ConsentState
from consents.errors import ConcurrentModification
from consents.repositories.tables import ConsentHistoryRow, ConsentRow


def to_consent(row: ConsentRow) -> Consent:
    """The aggregate with an empty history: entries the use case appends are the new ones."""
    return Consent(
        id=str(row.id),
        type=row.type,
        user_id=row.user_id,
        document=Document(
            uri=row.document_uri,
            revised_at=row.document_revised_at,
            revision_id=row.document_revision_id,
            content_type=row.document_content_type,
        ),
        context_uri=row.context_uri,
        state=ConsentState(row.state),
        version=row.version,
        history=(),
        given_at=row.given_at,
        request_revoked_at=row.request_revoked_at,
        request_rescinded_at=row.request_rescinded_at,
    )


def _columns(consent: Consent) -> dict[str, Any]:
    return {
        "type": consent.type,
        "user_id": consent.user_id,
        "state": consent.state.value,
        "document_uri": consent.document.uri,
        "document_content_type": consent.document.content_type or "",
        "document_revision_id": consent.document.revision_id,
        "document_revised_at": consent.document.revised_at,
        "context_uri": consent.context_uri,
        "given_at": consent.given_at,
        "request_revoked_at": consent.request_revoked_at,
        "request_rescinded_at": consent.request_rescinded_at,
        "version": consent.version,
    }


def _party_id(actor: Actor) -> uuid.UUID | None:
    """A user's or administrator's party id, when it is one (a service has none)."""
    if actor.kind is ActorKind.SERVICE:
        return None
    try:
        return uuid.UUID(actor.id)
    except ValueError:
        return None


def _history_rows(
    tenant_id: uuid.UUID, consent: Consent, entries: Sequence[HistoryEntry], first_version: int
) -> list[ConsentHistoryRow]:
    return [
        ConsentHistoryRow(
            tenant_id=tenant_id,
            consent_id=uuid.UUID(consent.id),
            version=first_version + offset,
            from_state=entry.from_state.value if entry.from_state is not None else None,
            to_state=entry.to_state.value,
            cause=entry.cause.value,
            actor=f"{entry.actor.kind.value}:{entry.actor.id}",
            actor_party_id=_party_id(entry.actor),
            occurred_at=entry.at,
            details={"reason": entry.reason} if entry.reason else {},
        )
        for offset, entry in enumerate(entries)
    ]


async def lock_request(session: AsyncSession, tenant_id: uuid.UUID, user_id: str, document_uri: str) -> None:
    """Serialise creations for one user and document, so two racing ``POST /consents`` cannot
    both create: the second finds the first's consent and answers 200."""
    key = f"{tenant_id}|{user_id}|{document_uri}"
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})


async def add(session: AsyncSession, tenant_id: uuid.UUID, consent: Consent) -> None:
    now = datetime.now(UTC)
    session.add(
        ConsentRow(
            id=uuid.UUID(consent.id), tenant_id=tenant_id, created_at=now, updated_at=now, **_columns(consent)
        )
    )
    await session.flush()
    session.add_all(_history_rows(tenant_id, consent, consent.history, 1))


async def save(session: AsyncSession, tenant_id: uuid.UUID, consent: Consent, *, seen_version: int) -> None:
    """Write ``consent`` only if its row is still at ``seen_version`` (else nobody's change is
    lost: ``ConcurrentModification``), and append the history entries added since loading."""
    result = await session.execute(
        update(ConsentRow)
        .where(
            col(ConsentRow.id) == uuid.UUID(consent.id),
            col(ConsentRow.tenant_id) == tenant_id,
            col(ConsentRow.version) == seen_version,
        )
        .values(**_columns(consent), updated_at=datetime.now(UTC))
    )
    if getattr(result, "rowcount", 0) != 1:
        raise ConcurrentModification(consent.id)
    session.add_all(_history_rows(tenant_id, consent, consent.history, seen_version + 1))


async def get(
    session: AsyncSession, tenant_id: uuid.UUID, consent_id: uuid.UUID, *, for_update: bool = False
) -> Consent | None:
    query = select(ConsentRow).where(col(ConsentRow.tenant_id) == tenant_id, col(ConsentRow.id) == consent_id)
    if for_update:
        query = query.with_for_update()
    row = (await session.execute(query)).scalar_one_or_none()
    return to_consent(row) if row is not None else None


async def of_user_and_document(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    user_id: str,
    document_uri: str,
    type: str | None = None,
    for_update: bool = False,
) -> list[Consent]:
    query = select(ConsentRow).where(
        col(ConsentRow.tenant_id) == tenant_id,
        col(ConsentRow.user_id) == user_id,
        col(ConsentRow.document_uri) == document_uri,
    )
    if type is not None:
        query = query.where(col(ConsentRow.type) == type)
    if for_update:
        query = query.order_by(col(ConsentRow.id)).with_for_update()
    return [to_consent(row) for row in (await session.execute(query)).scalars()]


def _locked(query: Any) -> Any:
    """Rows locked in id order: every use case that locks several consents takes them in the same
    order, so two of them never wait on each other (no deadlock)."""
    return query.order_by(col(ConsentRow.id)).with_for_update()


async def for_rescinding(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    user_id: str,
    type: str,
    context_uri: str | None,
    document_uri: str | None,
) -> list[Consent]:
    """The candidates of ``POST /rescindedConsents`` (the domain picks the matches), locked."""
    context = (
        col(ConsentRow.context_uri).is_(None)
        if context_uri is None
        else col(ConsentRow.context_uri) == context_uri
    )
    query = select(ConsentRow).where(
        col(ConsentRow.tenant_id) == tenant_id,
        col(ConsentRow.user_id) == user_id,
        col(ConsentRow.type) == type,
        context,
    )
    if document_uri is not None:
        query = query.where(col(ConsentRow.document_uri) == document_uri)
    rows = (await session.execute(_locked(query))).scalars()
    return [to_consent(row) for row in rows]


async def for_revision(
    session: AsyncSession, tenant_id: uuid.UUID, *, type: str, document_uri: str, context_uri: str | None
) -> list[Consent]:
    """The candidates of ``POST /revisedDocuments`` (the domain plans the changes), locked."""
    query = select(ConsentRow).where(
        col(ConsentRow.tenant_id) == tenant_id,
        col(ConsentRow.type) == type,
        col(ConsentRow.document_uri) == document_uri,
    )
    if context_uri is not None:
        query = query.where(col(ConsentRow.context_uri) == context_uri)
    rows = (await session.execute(_locked(query))).scalars()
    return [to_consent(row) for row in rows]


async def type_in_use(session: AsyncSession, tenant_id: uuid.UUID, names: Sequence[str]) -> list[str]:
    """Which of ``names`` at least one consent of the tenant has as its type."""
    if not names:
        return []
    query = (
        select(col(ConsentRow.type))
        .where(col(ConsentRow.tenant_id) == tenant_id, col(ConsentRow.type).in_(names))
        .group_by(col(ConsentRow.type))
    )
    return sorted((await session.execute(query)).scalars())


async def history(session: AsyncSession, tenant_id: uuid.UUID, consent_id: uuid.UUID) -> list[HistoryEntry]:
    query = (
        select(ConsentHistoryRow)
        .where(col(ConsentHistoryRow.tenant_id) == tenant_id, col(ConsentHistoryRow.consent_id) == consent_id)
        .order_by(col(ConsentHistoryRow.version))
    )
    entries = []
    for row in (await session.execute(query)).scalars():
        kind, _, actor_id = row.actor.partition(":")
        entries.append(
            HistoryEntry(
                at=row.occurred_at,
                actor=Actor(ActorKind(kind), actor_id),
                cause=Action(row.cause),
                from_state=ConsentState(row.from_state) if row.from_state else None,
                to_state=ConsentState(row.to_state),
                reason=row.details.get("reason"),
            )
        )
    return entries


async def count(session: AsyncSession, tenant_id: uuid.UUID) -> int:
    query = select(func.count()).select_from(ConsentRow).where(col(ConsentRow.tenant_id) == tenant_id)
    return int((await session.execute(query)).scalar_one())
