"""What iam learns from identity's events on the real broker: a new tenant is provisioned
(twice changes nothing), parties and users are kept at their version and each applied change
is queued for the effective permissions; a late, older event changes nothing."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable

from iam_harness import Iam, Tenant, permission_changes, recorded_events
from sqlmodel import col, select

from iam.domain.system_catalogue import system_group_id
from iam.repositories.party_replica import ReplicatedParty
from iam.repositories.user_replica import UserReplica
from proximity.auth.permission_catalogue import PERMISSIONS
from proximity.events.envelope import Event
from proximity.events.streams import declare_stream


async def publish(service: Iam, context: str, event: Event) -> None:
    """As its publisher does: onto the publisher's own stream."""
    js = service.wired.runtime.js
    await declare_stream(js, context)
    await js.publish(event.subject, event.to_json())


async def eventually(check: Callable[[], Awaitable[bool]]) -> None:
    for _ in range(300):
        if await check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the event never took effect")


def tenant_created(tenant_id: uuid.UUID) -> Event:
    return Event(
        type="identity.tenant.created",
        tenant_id=tenant_id,
        aggregate_id=str(tenant_id),
        data={"id": str(tenant_id), "name": "Acme"},
    )


async def test_a_new_tenant_is_provisioned_once(service: Iam) -> None:
    tenant_id = uuid.uuid4()
    headers = service.headers(tenant_id, admin=True)
    await publish(service, "identity", tenant_created(tenant_id))

    async def provisioned() -> bool:
        response = await service.http.get("/features", headers=headers, params={"per_page": 100})
        return response.json()["pagination"]["total"] == len(PERMISSIONS)

    await eventually(provisioned)
    # Another event for the same tenant (a new id: not the inbox's duplicate) adds nothing.
    await publish(service, "identity", tenant_created(tenant_id))
    marker = uuid.uuid4()
    await publish(service, "identity", tenant_created(marker))
    await eventually(provisioned)

    async def marker_done() -> bool:
        response = await service.http.get("/features", headers=service.headers(marker, admin=True))
        return response.json()["pagination"]["total"] > 0

    await eventually(marker_done)
    response = await service.http.get("/features", headers=headers, params={"per_page": 100})
    assert response.json()["pagination"]["total"] == len(PERMISSIONS)
    events = await recorded_events(service, system_group_id(tenant_id, "assets"))
    assert [e["type"] for e in events] == ["iam.group.created"]
    assert events[0]["data"] == {
        "contract": 1,
        "id": str(system_group_id(tenant_id, "assets")),
        "name": "Assets",
        "type": "feature",
        "is_system": True,
        "suspended_at": None,
        "deleted_at": None,
    }


async def test_parties_and_users_are_replicated_at_their_version(service: Iam, tenant: Tenant) -> None:
    party, user = uuid.uuid4(), uuid.uuid4()

    def party_event(verb: str, version: int, base_type: str) -> Event:
        deleted = "2026-01-01T00:00:00+00:00" if verb == "deleted" else None
        return Event(
            type=f"identity.party.{verb}",
            tenant_id=tenant.id,
            aggregate_id=str(party),
            version=version,
            data={"id": str(party), "base_type": base_type, "deleted_at": deleted, "first_name": "Ann"},
        )

    await publish(service, "identity", party_event("created", 1, "user"))
    await publish(service, "identity", party_event("deleted", 3, "user"))
    await publish(service, "identity", party_event("updated", 2, "contact"))  # late, older
    user_event = Event(
        type="identity.user.created",
        tenant_id=tenant.id,
        aggregate_id=str(user),
        version=1,
        data={"id": str(user), "party_id": str(party), "is_system_admin": False},
    )
    await publish(service, "identity", user_event)
    locked = Event(
        type="identity.user.locked",
        tenant_id=tenant.id,
        aggregate_id=str(user),
        data={"user_id": str(user), "locked_until": None},
    )
    await publish(service, "identity", locked)  # not a state iam keeps: skipped

    async def replicated() -> bool:
        async with service.wired.unit_of_work() as uow:
            found = await uow.session.get(ReplicatedParty, party)
            known = await uow.session.get(UserReplica, user)
            return found is not None and found.version == 3 and known is not None

    await eventually(replicated)
    async with service.wired.unit_of_work() as uow:
        found = (
            await uow.session.execute(select(ReplicatedParty).where(col(ReplicatedParty.party_id) == party))
        ).scalar_one()
        assert (found.deleted, found.base_type) == (True, "user")
        known = await uow.session.get(UserReplica, user)
        assert known is not None
        assert known.party_id == party
    changes = await permission_changes(service, tenant)
    # created, deleted and the user: three applied changes; the late update none.
    assert [c.party_ids for c in changes if c.party_ids] == [[party], [party], [party]]
