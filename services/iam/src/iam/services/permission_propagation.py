"""Publishing effective permissions as groups and parties change.

Every use case that changes a group (its state, items, owners or inherit edges) or a party
writes one ``permission_change`` row in its own transaction. One leader among iam's replicas
(a PostgreSQL advisory lock, as the outbox relay) takes those rows in ``id`` order, a batch at
a time, and in one REPEATABLE READ transaction, so the graph it reads agrees with itself and
with the rows it took:

1. finds the operational groups above the changed groups (every edge, whatever the state),
   loads them and everything below them, and computes the affected parties
   (``iam.domain.effective_permissions.affected_parties``): reached by one of them now, told
   about one of them last time, or changed themselves;
2. loads what reaches those parties now (the live operational groups above their user groups,
   and what is below those) and computes each one's entries;
3. for each party whose entries differ from what it was last told (``user_permissions``),
   bumps its version, stores the entries and writes ``iam.permissions.updated`` to the outbox;
4. deletes the rows it took, and commits.

A row committed while a pass runs is not in its snapshot: it stays for the next pass. Each pass
recomputes from the current state, so a row taken late still leads to the right sets.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import uuid
from collections import defaultdict

from sqlalchemy import delete
from sqlmodel import col, select

from iam.config import IamSettings
from iam.domain.effective_permissions import Entry, affected_parties, effective_entries
from iam.events.permission_events import permissions_updated
from iam.repositories.permission_changes import PermissionChange
from iam.repositories.permission_graph import (
    graph_below,
    operational_above_groups,
    operational_above_parties,
    users_of,
)
from iam.repositories.user_permissions import published_for, store, told_by
from proximity.db.leadership import Leadership
from proximity.db.unit_of_work import UnitOfWork
from proximity.delivery import DeliveryLoop
from proximity.runtime import Runtime

log = logging.getLogger(__name__)


async def _propagate(
    uow: UnitOfWork, tenant_id: uuid.UUID, group_ids: set[uuid.UUID], party_ids: set[uuid.UUID]
) -> int:
    """Steps 1-3 for one tenant; how many users were told."""
    session = uow.session
    above = await operational_above_groups(session, tenant_id, group_ids)
    graph = await graph_below(session, tenant_id, above)
    told = await told_by(session, tenant_id, above)
    parties = affected_parties(graph, group_ids, party_ids, told)
    if not parties:
        return 0
    reaching = await operational_above_parties(session, tenant_id, parties)
    if reaching <= graph.groups.keys():
        # Usually so (a change inside one operational group's closure): no second load.
        gone = await graph_below(session, tenant_id, (), parties)
        graph = dataclasses.replace(graph, gone_party_ids=gone.gone_party_ids)
    else:
        graph = await graph_below(session, tenant_id, reaching, parties)
    entries = effective_entries(graph, parties)
    before = await published_for(session, tenant_id, parties)
    changed: dict[uuid.UUID, tuple[int, tuple[Entry, ...]]] = {}
    for party_id, now in entries.items():
        last = before.get(party_id)
        if (last.entries if last is not None else ()) == now:
            continue  # never told and nothing to tell, or told exactly this
        changed[party_id] = ((last.version if last is not None else 0) + 1, now)
    if not changed:
        return 0
    users = await users_of(session, tenant_id, changed)
    await store(session, tenant_id, changed)
    for party_id, (version, now) in changed.items():
        uow.publish(permissions_updated(tenant_id, party_id, users.get(party_id), version, now))
    return len(changed)


class PermissionPropagation:
    """The leader's loop; ``wake()`` after a commit that wrote ``permission_change`` rows
    starts a pass at once instead of at the next poll."""

    def __init__(self, runtime: Runtime, *, batch_size: int = 100, poll_interval: float = 0.2) -> None:
        self._runtime = runtime
        self._batch_size = batch_size
        self._leadership = Leadership(runtime.engine, "permission-propagation:iam")
        self._loop = DeliveryLoop(self._cycle, name="permission propagation", poll_interval=poll_interval)

    @property
    def leading(self) -> bool:
        return self._leadership.leading

    def wake(self) -> None:
        self._loop.wake()

    async def run(self) -> None:
        try:
            await self._loop.run()
        finally:
            await self._leadership.release()

    async def _cycle(self) -> bool:
        if not await self._leadership.hold():
            return False
        return await self.propagate_once() == self._batch_size  # a full batch: more may wait

    async def propagate_once(self) -> int:
        """One pass over the oldest rows (whether or not this replica leads); returns how many
        rows it applied."""
        async with self._runtime.unit_of_work() as uow:
            session = uow.session
            await session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            query = select(
                col(PermissionChange.id),
                col(PermissionChange.tenant_id),
                col(PermissionChange.group_ids),
                col(PermissionChange.party_ids),
            )
            rows = (
                await session.execute(query.order_by(col(PermissionChange.id)).limit(self._batch_size))
            ).all()
            if not rows:
                return 0
            groups: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
            parties: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
            for _, tenant_id, group_ids, party_ids in rows:
                groups[tenant_id].update(group_ids)
                parties[tenant_id].update(party_ids)
            told = 0
            for tenant_id in groups.keys() | parties.keys():
                told += await _propagate(uow, tenant_id, groups[tenant_id], parties[tenant_id])
            await session.execute(
                delete(PermissionChange).where(col(PermissionChange.id).in_([r[0] for r in rows]))
            )
            await uow.commit()
        log.info("permissions propagated", extra={"changes": len(rows), "users_told": told})
        return len(rows)


def start_permission_propagation(settings: IamSettings, runtime: Runtime) -> PermissionPropagation:
    """The app's worker, one of the runtime's background tasks (stopped with it); it leads or
    stands by."""
    worker = PermissionPropagation(
        runtime, batch_size=settings.permission_change_batch, poll_interval=settings.permission_poll_seconds
    )
    if settings.events_enabled and settings.permission_propagation_enabled:
        runtime.tasks.append(asyncio.create_task(worker.run(), name="permission-propagation"))
    return worker
