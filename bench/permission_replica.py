"""How fast identity applies ``iam.permissions.updated``: the last hop of a group change that
reaches many users, before ``GET /users/me`` and the next token show it.

A fresh tenant with ``users`` parties in identity's database; then ``users`` events (one per
party, as iam's worker publishes them) go onto the stream ``IAM`` at once, and the clock runs
until identity's durable consumer (its real one, with its inbox and its ``concurrency``) has
stored every party's new set. Run once with the consumer as identity starts it and once with
``--concurrency 1`` (one event after another) to see what applying users side by side buys.

identity runs in-process (its runtime and consumers only, no HTTP), on the PostgreSQL
``DATABASE_URL`` names (else an embedded one) and an embedded NATS.

    .venv/bin/python bench/permission_replica.py                    # 10,000 users
    .venv/bin/python bench/permission_replica.py --users 10000 --concurrency 1
"""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid
from datetime import UTC, datetime

from sqlalchemy import func, insert, select
from sqlmodel import col

from identity.config import IdentitySettings
from identity.events.consumed import PERMISSIONS_CONSUMER, PERMISSIONS_UPDATED
from identity.repositories.tables import Party, Tenant
from identity.repositories.users_tables import EffectivePermissions
from identity.services.permissions_replica import apply_permissions_updated
from proximity.db.migrate import upgrade
from proximity.devstack.embedded import drop_database, ensure_database
from proximity.events.envelope import Event
from proximity.events.streams import declare_stream
from proximity.runtime import Runtime, open_runtime
from proximity.testing.servers import nats_server, postgres_server


async def _parties(runtime: Runtime, users: int) -> tuple[uuid.UUID, list[uuid.UUID]]:
    tenant_id, now = uuid.uuid4(), datetime.now(UTC)
    parties = [uuid.uuid4() for _ in range(users)]
    async with runtime.unit_of_work() as uow:
        await uow.session.execute(insert(Tenant).values(id=tenant_id, name="Bench", created_at=now))
        await uow.session.execute(
            insert(Party),
            [
                {
                    "id": p,
                    "tenant_id": tenant_id,
                    "base_type": "user",
                    "first_name": f"U{n}",
                    "created_at": now,
                }
                for n, p in enumerate(parties)
            ],
        )
        await uow.commit()
    return tenant_id, parties


def _event(tenant_id: uuid.UUID, party: uuid.UUID) -> Event:
    entry = {"op_group_id": str(uuid.uuid4()), "permissions": ["assets.view"], "datazone_ids": None}
    return Event(
        type=PERMISSIONS_UPDATED,
        tenant_id=tenant_id,
        aggregate_id=str(party),
        version=1,
        data={"contract": 1, "party_id": str(party), "user_id": None, "permissions": [entry]},
    )


async def _publish(runtime: Runtime, event: Event) -> None:
    await runtime.js.publish(event.subject, event.to_json(), headers={"Nats-Msg-Id": str(event.id)})


async def _stored(runtime: Runtime, tenant_id: uuid.UUID) -> int:
    async with runtime.unit_of_work() as uow:
        query = select(func.count()).where(col(EffectivePermissions.tenant_id) == tenant_id)
        return int((await uow.session.execute(query)).scalar_one())


async def run(database_url: str, nats_url: str, users: int, concurrency: int | None) -> None:
    settings = IdentitySettings(database_url=database_url, nats_url=nats_url)

    async def consumers(runtime: Runtime) -> list[asyncio.Task[None]]:
        if concurrency is None:  # as identity starts it
            from identity.events.consumers import start_consumers

            return await start_consumers(runtime)
        task = await runtime.consume(
            "iam",
            PERMISSIONS_UPDATED,
            apply_permissions_updated,
            durable=PERMISSIONS_CONSUMER,
            concurrency=concurrency,
            batch=256,
        )
        return [task]

    async with open_runtime(settings, context="identity", callers=None, start_consumers=consumers) as runtime:
        tenant_id, parties = await _parties(runtime, users)
        await declare_stream(runtime.js, "iam")
        started = time.perf_counter()
        for start in range(0, users, 500):  # as the relay does: many in flight
            events = [_event(tenant_id, party) for party in parties[start : start + 500]]
            await asyncio.gather(
                *(
                    runtime.js.publish(e.subject, e.to_json(), headers={"Nats-Msg-Id": str(e.id)})
                    for e in events
                )
            )
        published = time.perf_counter() - started
        while await _stored(runtime, tenant_id) < users:  # noqa: ASYNC110 - another process's work
            await asyncio.sleep(0.05)
        applied = time.perf_counter() - started
        shown = "as identity starts it (8 at a time)" if concurrency is None else f"concurrency {concurrency}"
        print(
            f"| {users:,} | {shown} | {published:.2f} | {applied:.2f} | {users / applied:,.0f} |", flush=True
        )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=10000)
    parser.add_argument("--concurrency", type=int, default=None)
    args = parser.parse_args()
    with postgres_server() as server, nats_server() as nats_url:
        name = f"bench_identity_{uuid.uuid4().hex[:8]}"
        url = ensure_database(server, name)
        try:
            upgrade("identity", url)
            print("| users | consumer | all published, s | all applied, s | events/s |")
            print("| --- | --- | --- | --- | --- |")
            asyncio.run(run(url, nats_url, args.users, args.concurrency))
        finally:
            drop_database(server, name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
