"""How long a change of a feature group takes to reach every user it concerns as
``iam.permissions.updated`` on the broker.

For each (users, depth) case: a fresh tenant with ``users`` parties in a user group, reached
by one operational group through a chain of ``depth`` user groups (the members in the last)
and a chain of ``depth`` feature groups; the worker first publishes everyone's initial set.
Then the deepest feature group gains a feature (one ``permission_change`` row, as the use case
writes it) and the clock runs from that commit until the last of the ``users`` events has
arrived on a NATS subscription. ``computed`` is when the worker's transaction (entries,
``user_permissions``, the outbox rows) committed; the rest is the outbox relay publishing one
event at a time, waiting for each acknowledgement.

iam runs in-process (its runtime: engine, NATS connection, outbox relay; and the worker), on
the PostgreSQL ``DATABASE_URL`` names (else an embedded one) and an embedded NATS (leave
``NATS_URL`` unset, or it is used).

    .venv/bin/python bench/permission_propagation.py                    # 1k/10k users x depth 1/3/6
    .venv/bin/python bench/permission_propagation.py --users 10000 --depths 1
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import func, insert, select
from sqlmodel import col

from iam.config import IamSettings
from iam.repositories.features import Feature
from iam.repositories.groups import GroupInherit, GroupItem, IamGroup
from iam.repositories.party_replica import ReplicatedParty
from iam.repositories.permission_changes import PermissionChange, record_change
from iam.services.permission_propagation import PermissionPropagation
from iam.services.tenant_provisioning import provision_tenant
from proximity.db.migrate import upgrade
from proximity.devstack.embedded import drop_database, ensure_database
from proximity.runtime import Runtime, open_runtime
from proximity.testing.servers import nats_server, postgres_server

SUBJECT = "iam.permissions.updated"


async def _feature(runtime: Runtime, tenant_id: uuid.UUID, tag: str) -> uuid.UUID:
    async with runtime.unit_of_work() as uow:
        query = select(col(Feature.id)).where(
            col(Feature.tenant_id) == tenant_id, col(Feature.permission) == tag
        )
        found: uuid.UUID = (await uow.session.execute(query)).scalar_one()
        return found


async def _chain(uow_session: object, tenant_id: uuid.UUID, type_: str, depth: int) -> list[uuid.UUID]:
    """``depth`` groups of ``type_``, each inheriting the next; returns them top first."""
    ids = [uuid.uuid4() for _ in range(depth)]
    session = uow_session
    await session.execute(  # type: ignore[attr-defined]
        insert(IamGroup),
        [
            {
                "id": i,
                "tenant_id": tenant_id,
                "name": f"{type_} {n}",
                "type": type_,
                "created_at": datetime.now(UTC),
            }
            for n, i in enumerate(ids)
        ],
    )
    edges = [{"tenant_id": tenant_id, "group_id": a, "inherit_id": b} for a, b in itertools.pairwise(ids)]
    if edges:
        await session.execute(insert(GroupInherit), edges)  # type: ignore[attr-defined]
    return ids


async def _tenant(runtime: Runtime, users: int, depth: int) -> tuple[uuid.UUID, uuid.UUID]:
    """A provisioned tenant and its graph; returns the tenant and the deepest feature group."""
    tenant_id = uuid.uuid4()
    async with runtime.unit_of_work() as uow:
        await provision_tenant(uow.session, tenant_id)
        await uow.commit()
    view = await _feature(runtime, tenant_id, "assets.view")
    parties = [uuid.uuid4() for _ in range(users)]
    async with runtime.unit_of_work() as uow:
        session = uow.session
        await session.execute(
            insert(ReplicatedParty),
            [
                {"party_id": p, "tenant_id": tenant_id, "deleted": False, "version": 1, "base_type": "user"}
                for p in parties
            ],
        )
        user_chain = await _chain(session, tenant_id, "user", depth)
        feature_chain = await _chain(session, tenant_id, "feature", depth)
        [op] = await _chain(session, tenant_id, "operational", 1)
        await session.execute(
            insert(GroupInherit),
            [
                {"tenant_id": tenant_id, "group_id": op, "inherit_id": g}
                for g in (user_chain[0], feature_chain[0])
            ],
        )
        await session.execute(
            insert(GroupItem),
            [{"tenant_id": tenant_id, "group_id": user_chain[-1], "item_id": p} for p in parties]
            + [{"tenant_id": tenant_id, "group_id": feature_chain[-1], "item_id": view}],
        )
        await record_change(session, tenant_id, group_ids=[op])
        await uow.commit()
    return tenant_id, feature_chain[-1]


async def _until_no_changes(runtime: Runtime, tenant_id: uuid.UUID) -> None:
    while True:
        async with runtime.unit_of_work() as uow:
            query = select(func.count()).where(col(PermissionChange.tenant_id) == tenant_id)
            if (await uow.session.execute(query)).scalar_one() == 0:
                return
        await asyncio.sleep(0.005)


async def case(
    runtime: Runtime, worker: PermissionPropagation, users: int, depth: int
) -> tuple[float, float, float]:
    """(initial publication, computed, all on the broker) in seconds."""
    tenant_id, deepest = await _tenant(runtime, users, depth)
    marker = str(tenant_id).encode()
    arrived = 0
    done = asyncio.Event()

    async def count(message: object) -> None:
        nonlocal arrived
        if marker in message.data:  # type: ignore[attr-defined]
            arrived += 1
            if arrived >= users:
                done.set()

    subscription = await runtime.nats.subscribe(SUBJECT, cb=count, pending_msgs_limit=10 * users)
    started = time.perf_counter()
    worker.wake()
    await done.wait()
    initial = time.perf_counter() - started

    arrived = 0
    done.clear()
    create = await _feature(runtime, tenant_id, "assets.create")
    async with runtime.unit_of_work() as uow:
        uow.session.add(GroupItem(tenant_id=tenant_id, group_id=deepest, item_id=create))
        await record_change(uow.session, tenant_id, group_ids=[deepest])
        await uow.commit()
    started = time.perf_counter()
    worker.wake()
    await _until_no_changes(runtime, tenant_id)
    computed = time.perf_counter() - started
    await done.wait()
    total = time.perf_counter() - started
    await subscription.unsubscribe()
    return initial, computed, total


async def run(database_url: str, nats_url: str, users: Sequence[int], depths: Sequence[int]) -> None:
    settings = IamSettings(database_url=database_url, nats_url=nats_url, permission_propagation_enabled=False)
    async with open_runtime(settings, context="iam", callers=None) as runtime:
        worker = PermissionPropagation(
            runtime, batch_size=settings.permission_change_batch, poll_interval=0.2
        )
        task = asyncio.create_task(worker.run())
        try:
            print("| users | depth | initial set, s | change computed, s | all on the broker, s |")
            print("| --- | --- | --- | --- | --- |")
            for count in users:
                for depth in depths:
                    initial, computed, total = await case(runtime, worker, count, depth)
                    print(
                        f"| {count:,} | {depth} | {initial:.2f} | {computed:.2f} | {total:.2f} |", flush=True
                    )
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--depths", type=int, nargs="+", default=[1, 3, 6])
    args = parser.parse_args()
    with postgres_server() as server, nats_server() as nats_url:
        name = f"bench_iam_{uuid.uuid4().hex[:8]}"
        url = ensure_database(server, name)
        try:
            upgrade("iam", url)
            asyncio.run(run(url, nats_url, args.users, args.depths))
        finally:
            drop_database(server, name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
