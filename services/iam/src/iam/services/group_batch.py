"""``PATCH /groups`` (seed 004 "BATCH UPDATE Groups"): per row, one owner, item and inherited
group added or removed, suspended or reactivated, deleted or restored; each row on its own
(``proximity.batch_patch``), the rules of a replace applied to what it adds. The rows that
changed are one permission change."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from iam.bootstrap import Collaborators
from iam.domain.group_rules import holds_items
from iam.errors import GroupNotFound, SystemGroupChange
from iam.events import group_events
from iam.repositories import group_queries
from iam.repositories.groups import IamGroup
from iam.repositories.permission_changes import record_change
from iam.schemas.groups import GroupPatch
from iam.services.group_checks import check_inherits, check_items, check_owners
from proximity.auth.claims import Claims
from proximity.auth.permissions import require
from proximity.batch_patch import BatchOutcome, BatchPlan, patch_rows
from proximity.db.columns import now
from proximity.events.envelope import Event


async def _state_changes(found: IamGroup, patch: GroupPatch) -> bool:
    changed = False
    given = patch.model_fields_set
    if "deleted_at" in given:
        if patch.deleted_at is None and found.deleted_at is not None:
            found.deleted_at, changed = None, True
        elif patch.deleted_at is not None and found.deleted_at is None:
            found.deleted_at, changed = now(), True
    if "suspended_at" in given:
        if patch.suspended_at is None and found.suspended_at is not None:
            found.suspended_at, changed = None, True
        elif patch.suspended_at is not None and found.suspended_at is None:
            found.suspended_at, changed = now(), True
    return changed


async def _link_changes(session: AsyncSession, found: IamGroup, patch: GroupPatch) -> bool:
    changed = False
    if patch.owner_id_assign is not None:
        for owner in await check_owners(session, found.tenant_id, {patch.owner_id_assign}):
            changed = await group_queries.add_link(session, found, "owner", owner) or changed
    if patch.owner_id_unassign is not None:
        changed = await group_queries.remove_link(session, found, "owner", patch.owner_id_unassign) or changed
    if holds_items(found.type):  # an operational group's items are ignored (seed 004)
        if patch.item_id_assign is not None:
            await check_items(session, found.tenant_id, found.type, {patch.item_id_assign})
            changed = await group_queries.add_link(session, found, "item", patch.item_id_assign) or changed
        if patch.item_id_unassign is not None:
            changed = (
                await group_queries.remove_link(session, found, "item", patch.item_id_unassign) or changed
            )
    if patch.inherit_id_unassign is not None:
        changed = (
            await group_queries.remove_link(session, found, "inherit", patch.inherit_id_unassign) or changed
        )
    if patch.inherit_id_assign is not None:
        stored = await group_queries.stored_inherits(session, found.id)
        await check_inherits(
            session, found.tenant_id, found.id, found.type, stored | {patch.inherit_id_assign}
        )
        changed = await group_queries.add_link(session, found, "inherit", patch.inherit_id_assign) or changed
    return changed


def _changes_links(patch: GroupPatch) -> bool:
    return any(
        getattr(patch, name) is not None
        for name in (
            "owner_id_assign",
            "owner_id_unassign",
            "item_id_assign",
            "item_id_unassign",
            "inherit_id_assign",
            "inherit_id_unassign",
        )
    )


async def _apply(session: AsyncSession, found: IamGroup, patch: GroupPatch) -> Event | None:
    if found.is_system:
        raise SystemGroupChange()
    changed = await _state_changes(found, patch)  # a restore first: its links may then change
    if _changes_links(patch):
        if found.deleted_at is not None:
            raise GroupNotFound()
        changed = await _link_changes(session, found, patch) or changed
    if not changed:
        return None
    found.version += 1
    found.updated_at = now()
    await session.flush()
    return group_events.group_changed(found)


async def patch_groups(ctx: Collaborators, claims: Claims, rows: Sequence[Any]) -> BatchOutcome[IamGroup]:
    require(claims, "groups.update")
    tenant_id = claims.tenant_id

    async def lock(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, IamGroup]:
        return await group_queries.groups_for_update(session, tenant_id, ids)

    async def before_lock(session: AsyncSession, patches: Sequence[GroupPatch]) -> None:
        if any(p.inherit_id_assign is not None for p in patches):
            await group_queries.lock_inheritance(session, tenant_id)

    async def after_changes(session: AsyncSession, changed: Sequence[IamGroup]) -> None:
        await record_change(session, tenant_id, group_ids=[g.id for g in changed])

    plan = BatchPlan(
        model=GroupPatch,
        delete_permission="groups.delete",
        not_found=GroupNotFound,
        lock=lock,
        apply=_apply,
        before_lock=before_lock,
        after_changes=after_changes,
    )
    return await patch_rows(ctx.unit_of_work, claims, rows, plan)
