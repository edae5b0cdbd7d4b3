"""Forwarding a write of contract links to contracts, inside the local write's transaction
(``assets.contracts_owner``), and applying what contracts answered to the replica at once, so
the answer and the next read show contracts' state."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from assets.bootstrap import Collaborators
from assets.contracts_owner import Linked, OwnedLinks
from assets.repositories.contract_replica import (
    ContractAsset,
    ContractEntity,
    LinkTable,
    apply_owned_links,
)

_TABLES: dict[Linked, LinkTable] = {"assets": ContractAsset, "entities": ContractEntity}


async def _applied(
    session: AsyncSession, linked: Linked, tenant_id: uuid.UUID, object_id: uuid.UUID, owned: OwnedLinks
) -> tuple[uuid.UUID, ...]:
    # Flushed first: the local write's own failures come before the replica's rows.
    await session.flush()
    await apply_owned_links(session, tenant_id, _TABLES[linked], object_id, owned.links)
    return owned.contract_ids


async def replace_links(
    ctx: Collaborators,
    session: AsyncSession,
    linked: Linked,
    tenant_id: uuid.UUID,
    object_id: uuid.UUID,
    contract_ids: Sequence[uuid.UUID],
) -> tuple[uuid.UUID, ...]:
    """The object (locked by the caller, its local changes flushed) is linked to exactly
    ``contract_ids``; returns the contracts linking it as contracts answered."""
    await session.flush()
    owned = await ctx.contracts.replace(linked, tenant_id, object_id, contract_ids)
    return await _applied(session, linked, tenant_id, object_id, owned)


async def change_links(
    ctx: Collaborators,
    session: AsyncSession,
    linked: Linked,
    tenant_id: uuid.UUID,
    object_id: uuid.UUID,
    *,
    assign: uuid.UUID | None,
    unassign: uuid.UUID | None,
) -> tuple[uuid.UUID, ...]:
    await session.flush()
    owned = await ctx.contracts.change(linked, tenant_id, object_id, assign=assign, unassign=unassign)
    return await _applied(session, linked, tenant_id, object_id, owned)


def wants_new_links(given: set[str], contract_ids: Sequence[uuid.UUID], held: Sequence[uuid.UUID]) -> bool:
    """A full write (PUT) changes contract links only when it names them and they differ from
    what the replica holds: a client echoing what it read, or leaving them out, needs no call
    to contracts (and so works while contracts is away)."""
    return "contract_ids" in given and set(contract_ids) != set(held)
