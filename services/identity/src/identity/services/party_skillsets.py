"""Use cases on the skillsets parties hold: ``GET`` and ``PUT /parties/~/skillsets``."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from identity.bootstrap import Collaborators
from identity.domain.stamps import stamp
from identity.errors import AttemptSaveWithMissingSkillSets, PartiesNotFound
from identity.events import published
from identity.repositories import party_skillsets as queries
from identity.repositories.catalogue_tables import PartySkillSet
from identity.repositories.tables import now
from identity.schemas.party_skillsets import PartySkillSetWrite
from proximity.auth.claims import Claims
from proximity.auth.permissions import require

VIEW, UPDATE = "parties.view", "parties.update"


def render(pair: PartySkillSet) -> dict[str, Any]:
    return {
        "party_id": pair.party_id,
        "skillset_id": pair.skillset_id,
        "effective_at": pair.effective_at,
        "expires_at": pair.expires_at,
        "doc_url": pair.doc_url,
        "created_at": pair.created_at,
        "updated_at": pair.updated_at,
        "deleted_at": pair.deleted_at,
    }


async def held_skillsets(
    ctx: Collaborators, claims: Claims, *, party_id: uuid.UUID | None, skillset_id: uuid.UUID | None
) -> list[dict[str, Any]]:
    require(claims, VIEW)
    async with ctx.reading() as session:
        pairs = await queries.held(session, claims.tenant_id, party_id=party_id, skillset_id=skillset_id)
    return [render(pair) for pair in pairs]


def _missing(wanted: set[uuid.UUID], found: set[uuid.UUID]) -> str:
    return ", ".join(sorted(str(i) for i in wanted - found))


async def _check_ids(session: AsyncSession, tenant_id: uuid.UUID, rows: list[PartySkillSetWrite]) -> None:
    party_ids = {row.party_id for row in rows}
    found = await queries.live_party_ids(session, tenant_id, party_ids)
    if found != party_ids:
        raise PartiesNotFound(f"Parties not found: {_missing(party_ids, found)}.")
    skillset_ids = {row.skillset_id for row in rows}
    found = await queries.live_skillset_ids(session, tenant_id, skillset_ids)
    if found != skillset_ids:
        raise AttemptSaveWithMissingSkillSets(f"SkillSets not found: {_missing(skillset_ids, found)}.")


def _apply(pair: PartySkillSet, row: PartySkillSetWrite, at: Any) -> bool:
    """Give ``pair`` the requested state; whether anything changed."""
    before = (pair.effective_at, pair.expires_at, pair.doc_url, pair.deleted_at)
    pair.effective_at = row.effective_at
    pair.expires_at = row.expires_at
    pair.doc_url = row.doc_url
    pair.deleted_at = stamp(pair.deleted_at, row.deleted_at, at)
    return (pair.effective_at, pair.expires_at, pair.doc_url, pair.deleted_at) != before


async def save_held_skillsets(
    ctx: Collaborators, claims: Claims, rows: list[PartySkillSetWrite]
) -> list[dict[str, Any]]:
    """Idempotent: each named pair takes the given state; pairs not named are left alone."""
    require(claims, UPDATE)
    at = now()
    async with ctx.unit_of_work() as uow:
        await _check_ids(uow.session, claims.tenant_id, rows)
        fresh = [
            PartySkillSet(
                party_id=row.party_id, skillset_id=row.skillset_id, tenant_id=claims.tenant_id, created_at=at
            )
            for row in rows
        ]
        for pair, row in zip(fresh, rows, strict=True):
            _apply(pair, row, at)
        created = await queries.insert_missing(uow.session, fresh)
        pairs = {
            (p.party_id, p.skillset_id): p
            for p in await queries.locked(
                uow.session, claims.tenant_id, [(row.party_id, row.skillset_id) for row in rows]
            )
        }
        for row in rows:
            pair = pairs[(row.party_id, row.skillset_id)]
            if (row.party_id, row.skillset_id) in created:
                uow.publish(published.party_skillset_updated(pair))
            elif _apply(pair, row, at):
                pair.updated_at = at
                uow.publish(published.party_skillset_updated(pair))
        await uow.commit()
    return [render(pairs[(row.party_id, row.skillset_id)]) for row in rows]
