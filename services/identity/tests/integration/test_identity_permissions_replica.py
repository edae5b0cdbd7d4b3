"""The replica of iam's effective permissions: real ``iam.permissions.updated`` events on the
real broker change ``/users/me`` and the next token's ``perms``; a redelivered or older event
has no effect; an event of another tenant is dropped; one breaking the contract, malformed,
or of an unknown contract version is parked for an operator, not applied."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from typing import Any

import httpx
from sqlmodel import func, select

from identity.events.consumed import PERMISSIONS_CONSUMER, PERMISSIONS_UPDATED
from identity.repositories.users_tables import EffectivePermissions
from proximity.events.envelope import Event
from proximity.events.streams import declare_stream
from proximity.events.tables import InboxMessage, ParkedMessage
from tests.conftest import Account, Identity, log_in, new_account
from tests.integration.party_users_support import headers_of, member

GROUP = "c27c4e6f-4560-49a2-b1fa-5c344d1c4698"


def permissions_event(
    account: Account, groups: list[dict[str, Any]], *, version: int, by: str = "party"
) -> Event:
    named = {"party_id": str(account.party_id)} if by == "party" else {"user_id": str(account.user_id)}
    return Event(
        type=PERMISSIONS_UPDATED,
        tenant_id=account.tenant_id,
        aggregate_id=str(account.user_id),
        version=version,
        data={"contract": 1, **named, "permissions": groups, "unknown_field": "tolerated"},
    )


async def publish(identity: Identity, event: Event) -> None:
    """As iam will: onto the IAM stream. No ``Nats-Msg-Id``, so a second publish of the same
    event is delivered again (a redelivery), not dropped by the broker."""
    js = identity.wired.runtime.js
    await declare_stream(js, "iam")  # iam, the publisher, declares its stream
    await js.publish(event.subject, event.to_json())


async def permissions_seen(http: httpx.AsyncClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    response = await http.get("/users/me", headers=headers)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["data"]["permissions"]
    return found


async def until_permissions(
    identity: Identity, headers: dict[str, str], expected: list[dict[str, Any]]
) -> None:
    for _ in range(200):
        if await permissions_seen(identity.http, headers) == expected:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(
        f"/users/me never showed {expected}: {await permissions_seen(identity.http, headers)}"
    )


async def applied_times(identity: Identity, event: Event) -> int:
    async with identity.wired.unit_of_work() as uow:
        count = await uow.session.execute(
            select(func.count())
            .select_from(InboxMessage)
            .where(InboxMessage.consumer == PERMISSIONS_CONSUMER, InboxMessage.event_id == event.id)
        )
        return int(count.scalar_one())


async def test_published_permissions_reach_users_me_and_the_next_token(
    identity: Identity, account: Account
) -> None:
    user = await member(identity, account)
    headers = await headers_of(identity, user)
    assert await permissions_seen(identity.http, headers) == []
    groups: list[dict[str, Any]] = [
        {"op_group_id": None, "permissions": ["dashboard.view"]},
        {"op_group_id": GROUP, "permissions": ["assets.read", "assets.create", "assets.import"]},
    ]

    await publish(identity, permissions_event(user, groups, version=1))

    await until_permissions(
        identity,
        headers,
        [
            {"op_group_id": None, "permissions": ["dashboard.view"]},
            {"op_group_id": GROUP, "permissions": ["assets.create", "assets.import", "assets.read"]},
        ],
    )
    login = await log_in(identity.http, user)
    claims = await identity.wired.verifier.verify(login.json()["data"]["access_token"])
    assert claims.permissions == {"dashboard.view", "assets.read", "assets.create", "assets.import"}
    assert not claims.system_admin
    # A token with the permission passes the check those permissions guard.
    fresh = {**user.key, "Authorization": login.json()["data"]["access_token"]}
    assert (await identity.http.get("/parties/~/users", headers=fresh)).status_code == 403
    await publish(
        identity, permissions_event(user, [{"op_group_id": None, "permissions": ["users.view"]}], version=2)
    )
    await until_permissions(identity, headers, [{"op_group_id": None, "permissions": ["users.view"]}])
    relogin = await log_in(identity.http, user)
    viewer = {**user.key, "Authorization": relogin.json()["data"]["access_token"]}
    assert (await identity.http.get("/parties/~/users", headers=viewer)).status_code == 200
    # iam's latest grants decide, not the tags a token was signed with: the older token now
    # passes, and once iam takes the permission away the newer one is refused before expiring.
    assert (await identity.http.get("/parties/~/users", headers=fresh)).status_code == 200
    await publish(identity, permissions_event(user, [], version=3))
    await until_permissions(identity, headers, [])
    assert (await identity.http.get("/parties/~/users", headers=viewer)).status_code == 403


async def test_a_redelivered_or_older_event_has_no_second_effect(
    identity: Identity, account: Account
) -> None:
    user = await member(identity, account)
    headers = await headers_of(identity, user)
    first = permissions_event(user, [{"op_group_id": None, "permissions": ["a.one"]}], version=3, by="user")
    newer = permissions_event(user, [{"op_group_id": None, "permissions": ["a.two"]}], version=4)
    older = permissions_event(user, [{"op_group_id": None, "permissions": ["a.old"]}], version=2)

    await publish(identity, first)
    await until_permissions(identity, headers, [{"op_group_id": None, "permissions": ["a.one"]}])
    await publish(identity, newer)
    await publish(identity, first)  # redelivered after a newer state
    await publish(identity, older)  # an older state arriving late
    marker = permissions_event(account, [{"op_group_id": None, "permissions": ["marker.done"]}], version=1)
    await publish(identity, marker)
    admin = await headers_of(identity, account)
    await until_permissions(identity, admin, [{"op_group_id": None, "permissions": ["marker.done"]}])

    assert await permissions_seen(identity.http, headers) == [{"op_group_id": None, "permissions": ["a.two"]}]
    assert await applied_times(identity, first) == 1
    assert await applied_times(identity, older) == 1  # seen, and ignored for its version


async def parked(identity: Identity) -> list[ParkedMessage]:
    async with identity.wired.unit_of_work() as uow:
        query = select(ParkedMessage).where(ParkedMessage.consumer == PERMISSIONS_CONSUMER)
        return list((await uow.session.execute(query)).scalars())


async def until_parked(identity: Identity, *event_ids: uuid.UUID | None) -> list[ParkedMessage]:
    """The parked messages of these events (None: a message that was no event), once all are."""
    for _ in range(200):
        found = [row for row in await parked(identity) if row.event_id in event_ids]
        if {row.event_id for row in found} == set(event_ids):
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(f"expected {event_ids} parked: {await parked(identity)}")


async def test_events_naming_nobody_in_their_tenant_are_dropped_and_contract_breakers_parked(
    identity: Identity, account: Account
) -> None:
    victim = await member(identity, account)
    headers = await headers_of(identity, victim)
    intruder = await new_account(identity.wired)
    cross_tenant = permissions_event(victim, [{"op_group_id": None, "permissions": ["evil.all"]}], version=9)
    cross_tenant = Event(
        type=cross_tenant.type,
        tenant_id=intruder.tenant_id,
        aggregate_id=cross_tenant.aggregate_id,
        version=9,
        data=cross_tenant.data,
    )
    broken = Event(
        type=PERMISSIONS_UPDATED, tenant_id=account.tenant_id, aggregate_id="x", data={"permissions": 5}
    )
    nobody = Event(
        type=PERMISSIONS_UPDATED,
        tenant_id=account.tenant_id,
        aggregate_id="x",
        data={"party_id": str(uuid.uuid4()), "permissions": []},
    )
    good = permissions_event(victim, [{"op_group_id": None, "permissions": ["fine.view"]}], version=1)

    for event in (cross_tenant, broken, nobody, good):
        await publish(identity, event)
    await identity.wired.runtime.nats.publish(PERMISSIONS_UPDATED, b"not json")  # malformed on the wire

    await until_permissions(identity, headers, [{"op_group_id": None, "permissions": ["fine.view"]}])
    for event in (cross_tenant, nobody):
        assert await applied_times(identity, event) == 1  # consumed, not retried forever
    # No retry can make these usable: parked at once, for an operator to see.
    rows = await until_parked(identity, broken.id, None)
    assert await applied_times(identity, broken) == 0
    by_event = {row.event_id: row for row in rows}
    assert "breaks its contract" in by_event[broken.id].reason
    assert by_event[broken.id].deliveries == 1
    assert by_event[None].payload == b"not json"
    assert "not an event envelope" in by_event[None].reason


async def test_an_event_of_an_unknown_contract_version_is_parked_not_applied(
    identity: Identity, account: Account
) -> None:
    user = await member(identity, account)
    headers = await headers_of(identity, user)
    future = permissions_event(user, [{"op_group_id": None, "permissions": ["misread.all"]}], version=5)
    future = dataclasses.replace(future, schema=2)
    good = permissions_event(user, [{"op_group_id": None, "permissions": ["fine.view"]}], version=1)

    await publish(identity, future)
    await publish(identity, good)

    await until_permissions(identity, headers, [{"op_group_id": None, "permissions": ["fine.view"]}])
    [row] = await until_parked(identity, future.id)
    assert "contract version 2" in row.reason
    assert await applied_times(identity, future) == 0


async def stored_entries(identity: Identity, account: Account) -> list[dict[str, Any]]:
    async with identity.wired.unit_of_work() as uow:
        query = select(EffectivePermissions.groups).where(
            EffectivePermissions.tenant_id == account.tenant_id,
            EffectivePermissions.party_id == account.party_id,
        )
        groups: list[dict[str, Any]] = (await uow.session.execute(query)).scalar_one()
        return groups


async def test_where_the_tags_reach_is_kept_while_users_me_and_perms_show_every_tag(
    identity: Identity, account: Account
) -> None:
    user = await member(identity, account)
    headers = await headers_of(identity, user)
    zone_b, zone_a = sorted((str(uuid.uuid4()), str(uuid.uuid4())), reverse=True)
    zoned, everywhere, nowhere, older = (str(uuid.uuid4()) for _ in range(4))
    entries: list[dict[str, Any]] = [
        {"op_group_id": zoned, "permissions": ["assets.view"], "datazone_ids": [zone_b, zone_a, zone_b]},
        {"op_group_id": everywhere, "permissions": ["contracts.view"], "datazone_ids": None},
        {"op_group_id": nowhere, "permissions": ["assets.update"], "datazone_ids": []},
        {"op_group_id": older, "permissions": ["dashboard.view"]},  # a publisher before the field
    ]

    await publish(identity, permissions_event(user, entries, version=1))

    # /users/me keeps seed 004's two properties per group.
    await until_permissions(
        identity,
        headers,
        [
            {"op_group_id": zoned, "permissions": ["assets.view"]},
            {"op_group_id": everywhere, "permissions": ["contracts.view"]},
            {"op_group_id": nowhere, "permissions": ["assets.update"]},
            {"op_group_id": older, "permissions": ["dashboard.view"]},
        ],
    )
    assert await stored_entries(identity, user) == [
        {"op_group_id": zoned, "permissions": ["assets.view"], "datazone_ids": [zone_a, zone_b]},
        {"op_group_id": everywhere, "permissions": ["contracts.view"], "datazone_ids": None},
        {"op_group_id": nowhere, "permissions": ["assets.update"], "datazone_ids": []},
        {"op_group_id": older, "permissions": ["dashboard.view"], "datazone_ids": None},
    ]
    # The token's perms are the union of the tags; where they reach, the owning services decide.
    login = await log_in(identity.http, user)
    claims = await identity.wired.verifier.verify(login.json()["data"]["access_token"])
    assert claims.permissions == {"assets.view", "contracts.view", "assets.update", "dashboard.view"}


async def test_an_entry_with_datazones_that_are_not_ids_is_parked(
    identity: Identity, account: Account
) -> None:
    user = await member(identity, account)
    headers = await headers_of(identity, user)
    bad_zones = permissions_event(
        user,
        [{"op_group_id": str(uuid.uuid4()), "permissions": ["assets.view"], "datazone_ids": ["nowhere"]}],
        version=2,
    )
    good = permissions_event(user, [{"op_group_id": None, "permissions": ["fine.view"]}], version=1)

    await publish(identity, bad_zones)
    await publish(identity, good)

    await until_permissions(identity, headers, [{"op_group_id": None, "permissions": ["fine.view"]}])
    [row] = await until_parked(identity, bad_zones.id)
    assert "breaks its contract" in row.reason
