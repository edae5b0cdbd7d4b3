"""``/groups/~/actions/assign_item`` and ``assign_owner`` (seed 004 "BATCH Assign Item to
Groups", "BATCH Assign an Owner to Groups"): one item or owner added to some groups and
removed from others, all or nothing. A group in both lists ends without it."""

from __future__ import annotations

import uuid
from collections.abc import Collection

from sqlalchemy.ext.asyncio import AsyncSession

from iam.bootstrap import Collaborators
from iam.domain.group_rules import holds_items
from iam.errors import GroupsNotFound, MissingItems, PartyNotFound, SystemGroupChange, VaryingGroupTypes
from iam.events import group_events
from iam.repositories import group_queries
from iam.repositories.groups import IamGroup
from iam.repositories.item_catalogues import missing_items
from iam.repositories.permission_changes import record_change
from iam.schemas.groups import ItemAssignment, OwnerAssignment
from iam.services.group_checks import owner_parties
from proximity.auth.claims import Claims
from proximity.auth.permissions import require
from proximity.db.columns import now
from proximity.db.unit_of_work import UnitOfWork


async def _groups(session: AsyncSession, tenant_id: uuid.UUID, ids: Collection[uuid.UUID]) -> list[IamGroup]:
    found = await group_queries.groups_for_update(session, tenant_id, ids)
    missing = {i for i in ids if i not in found or found[i].deleted_at is not None}
    if missing:
        named = ", ".join(sorted(str(i) for i in missing))
        raise GroupsNotFound(f"These groups could not be found: {named}.")
    if any(g.is_system for g in found.values()):
        raise SystemGroupChange()
    return [found[i] for i in sorted(found)]


async def _relink(
    uow: UnitOfWork,
    groups: list[IamGroup],
    kind: str,
    linked: uuid.UUID,
    push: Collection[uuid.UUID],
    pull: Collection[uuid.UUID],
) -> None:
    session = uow.session
    changed: list[IamGroup] = []
    for found in groups:
        moved = False
        if found.id in push:
            moved = await group_queries.add_link(session, found, kind, linked)
        if found.id in pull:
            moved = await group_queries.remove_link(session, found, kind, linked) or moved
        if moved:
            found.version += 1
            found.updated_at = now()
            changed.append(found)
    if changed:
        await session.flush()
        for found in changed:
            uow.publish(group_events.group_updated(found))
        await record_change(session, groups[0].tenant_id, group_ids=[g.id for g in changed])


async def assign_item(ctx: Collaborators, claims: Claims, assignment: ItemAssignment) -> None:
    """Every group must be a live group of the tenant (``eGroupsNotFound``, naming the others),
    all of one type (``eItemUpdateWithVaryingGroupTypes``); a pushed item must exist for that
    type (``eAttemptSaveWithMissingItems``), one only pulled may be gone. Operational groups
    hold no items: nothing changes for them."""
    require(claims, "groups.update")
    ids = set(assignment.push) | set(assignment.pull)
    if not ids:
        return
    async with ctx.unit_of_work() as uow:
        groups = await _groups(uow.session, claims.tenant_id, ids)
        types = {g.type for g in groups}
        if len(types) > 1:
            raise VaryingGroupTypes()
        group_type = types.pop()
        if not holds_items(group_type):
            return
        if assignment.push and await missing_items(
            uow.session, claims.tenant_id, group_type, [assignment.item_id]
        ):
            raise MissingItems("The item ID given could not be found for groups of this type.")
        await _relink(uow, groups, "item", assignment.item_id, set(assignment.push), set(assignment.pull))
        await uow.commit()


async def assign_owner(ctx: Collaborators, claims: Claims, assignment: OwnerAssignment) -> None:
    """Every group must be a live group of the tenant (``eGroupsNotFound``); a pushed owner a
    live party (or user: its party) of the tenant (``ePartyNotFound``)."""
    require(claims, "groups.update")
    ids = set(assignment.push) | set(assignment.pull)
    if not ids:
        return
    async with ctx.unit_of_work() as uow:
        groups = await _groups(uow.session, claims.tenant_id, ids)
        resolved, unknown = await owner_parties(uow.session, claims.tenant_id, {assignment.party_id})
        if unknown and assignment.push:
            raise PartyNotFound()
        # A user id names its party; an owner only pulled may be gone from the replica.
        owner = next(iter(resolved), assignment.party_id)
        await _relink(uow, groups, "owner", owner, set(assignment.push), set(assignment.pull))
        await uow.commit()
