"""The permission worker against real PostgreSQL and NATS: each change of groups (items,
inherit edges, suspend, delete, restore, feature and territory content) or of a party makes
iam publish ``iam.permissions.updated`` with the whole new set to exactly the users whose set
changed, each at its next version."""

from __future__ import annotations

import asyncio
import uuid

import orjson
import pytest
from iam_harness import Iam, Tenant, known_party
from nats.js.api import ConsumerConfig, DeliverPolicy
from permission_graph_support import GroupGraph, outbox_mark, settled, tags_of, told_since
from sqlmodel import col, select

from iam.config import IamSettings
from iam.repositories.groups import GroupInherit
from iam.repositories.party_replica import apply_party
from iam.repositories.permission_changes import record_change
from iam.repositories.user_replica import apply_user


@pytest.fixture
def settings(settings: IamSettings) -> IamSettings:
    return settings.model_copy(update={"permission_propagation_enabled": True})


@pytest.fixture
def graph(service: Iam, tenant: Tenant) -> GroupGraph:
    return GroupGraph(service, tenant)


async def test_item_changes_reach_exactly_the_users_whose_set_changed(
    service: Iam, tenant: Tenant, graph: GroupGraph
) -> None:
    alice, bob, carol = [await known_party(service, tenant) for _ in range(3)]
    view, create, contracts = [
        await graph.feature(t) for t in ("assets.view", "assets.create", "contracts.view")
    ]
    mark = await outbox_mark(service)
    users = await graph.group("user", items=[alice, bob])
    features = await graph.group("feature", items=[view])
    op = await graph.group("operational", inherits=[users, features])
    other = await graph.group(
        "operational",
        inherits=[await graph.group("user", items=[carol]), await graph.group("feature", items=[contracts])],
    )

    told = await told_since(service, tenant, mark)
    assert set(told) == {alice, bob, carol}
    assert tags_of(told[alice]) == {str(op): (["assets.view"], None)}
    assert tags_of(told[carol]) == {str(other): (["contracts.view"], None)}
    assert told[alice]["data"]["party_id"] == str(alice)
    assert told[alice]["data"]["user_id"] is None  # identity has not told iam a user yet
    first = {party: envelope["version"] for party, envelope in told.items()}

    mark = await outbox_mark(service)
    await graph.replace(users, items=[alice])  # bob leaves
    told = await told_since(service, tenant, mark)
    assert set(told) == {bob}
    assert told[bob]["data"]["permissions"] == []
    assert told[bob]["version"] == first[bob] + 1

    mark = await outbox_mark(service)
    await graph.replace(features, items=[view, create])  # the feature group's content
    told = await told_since(service, tenant, mark)
    assert set(told) == {alice}
    assert tags_of(told[alice]) == {str(op): (["assets.create", "assets.view"], None)}

    mark = await outbox_mark(service)
    await graph.replace(features, items=[create, view])  # the same set again: nobody is told
    await settled(service, tenant)
    assert await told_since(service, tenant, mark) == {}


async def test_inherit_edges_and_nested_operational_groups(
    service: Iam, tenant: Tenant, graph: GroupGraph
) -> None:
    alice, bob = [await known_party(service, tenant) for _ in range(2)]
    view = await graph.feature("assets.view")
    inner_users = await graph.group("user", items=[bob])
    users = await graph.group("user", items=[alice], inherits=[inner_users])
    features = await graph.group("feature", items=[view])
    op = await graph.group("operational", inherits=[users, features])
    await settled(service, tenant)

    mark = await outbox_mark(service)
    outer = await graph.group("operational", inherits=[op])
    told = await told_since(service, tenant, mark)
    assert set(told) == {alice, bob}  # members through the inner user group too
    assert tags_of(told[bob]) == {str(op): (["assets.view"], None), str(outer): (["assets.view"], None)}

    mark = await outbox_mark(service)
    await graph.replace(op, inherits=[users])  # the features edge goes
    told = await told_since(service, tenant, mark)
    assert set(told) == {alice, bob}
    assert tags_of(told[alice]) == {str(op): ([], None), str(outer): ([], None)}

    mark = await outbox_mark(service)
    await graph.replace(users, inherits=[])  # bob was a member only through the inner group
    told = await told_since(service, tenant, mark)
    assert set(told) == {bob}
    assert told[bob]["data"]["permissions"] == []


async def test_suspend_delete_and_restore(service: Iam, tenant: Tenant, graph: GroupGraph) -> None:
    alice, dave = [await known_party(service, tenant) for _ in range(2)]
    view, update = [await graph.feature(t) for t in ("assets.view", "assets.update")]
    users = await graph.group("user", items=[alice])
    leaf = await graph.group("feature", items=[update])
    middle = await graph.group("feature", items=[view], inherits=[leaf])
    op = await graph.group("operational", inherits=[users, middle])
    await graph.group("operational", inherits=[await graph.group("user", items=[dave]), leaf])
    await settled(service, tenant)

    mark = await outbox_mark(service)
    await graph.state(users, suspended=True)
    told = await told_since(service, tenant, mark)
    assert set(told) == {alice}
    assert told[alice]["data"]["permissions"] == []

    mark = await outbox_mark(service)
    await graph.state(users)  # restored
    told = await told_since(service, tenant, mark)
    assert tags_of(told[alice]) == {str(op): (["assets.update", "assets.view"], None)}

    mark = await outbox_mark(service)
    await graph.state(middle, suspended=True)  # cuts the leaf off too
    told = await told_since(service, tenant, mark)
    assert set(told) == {alice}
    assert tags_of(told[alice]) == {str(op): ([], None)}

    mark = await outbox_mark(service)
    await graph.state(leaf, deleted=True)  # dave loses it; alice, cut off already, is not told
    told = await told_since(service, tenant, mark)
    assert set(told) == {dave}

    mark = await outbox_mark(service)
    await graph.state(leaf)
    await graph.state(middle)
    told = await told_since(service, tenant, mark)
    assert set(told) == {alice, dave}
    assert tags_of(told[alice]) == {str(op): (["assets.update", "assets.view"], None)}

    mark = await outbox_mark(service)
    await graph.state(op, deleted=True)
    told = await told_since(service, tenant, mark)
    assert set(told) == {alice}
    assert told[alice]["data"]["permissions"] == []


async def test_territory_content_confines_the_tags_to_live_datazones(
    service: Iam, tenant: Tenant, graph: GroupGraph
) -> None:
    alice = await known_party(service, tenant)
    view = await graph.feature("assets.view")
    east, west = sorted([await graph.datazone(), await graph.datazone()])
    gone = await graph.datazone(live=False)
    territory = await graph.group("territory", items=[east])
    op = await graph.group(
        "operational",
        inherits=[await graph.group("user", items=[alice]), await graph.group("feature", items=[view])],
    )
    await settled(service, tenant)

    mark = await outbox_mark(service)
    await graph.replace(op, inherits=[*(await _inherits(graph, op)), territory])
    told = await told_since(service, tenant, mark)
    assert tags_of(told[alice]) == {str(op): (["assets.view"], [str(east)])}

    mark = await outbox_mark(service)
    await graph.replace(territory, items=[west, east, gone])
    told = await told_since(service, tenant, mark)
    assert tags_of(told[alice]) == {str(op): (["assets.view"], [str(east), str(west)])}

    mark = await outbox_mark(service)
    await graph.replace(territory, items=[gone])  # territory, but no live zone: no object
    told = await told_since(service, tenant, mark)
    assert tags_of(told[alice]) == {str(op): (["assets.view"], [])}

    await graph.replace(territory, items=[east])
    await settled(service, tenant)
    mark = await outbox_mark(service)
    # A suspended territory still confines, to nothing: suspending it never widens the reach.
    await graph.state(territory, suspended=True)
    told = await told_since(service, tenant, mark)
    assert tags_of(told[alice]) == {str(op): (["assets.view"], [])}

    mark = await outbox_mark(service)
    inherits = [group for group in await _inherits(graph, op) if group != territory]
    await graph.replace(op, inherits=inherits)  # no territory group left: the whole tenant
    told = await told_since(service, tenant, mark)
    assert tags_of(told[alice]) == {str(op): (["assets.view"], None)}


async def _inherits(graph: GroupGraph, group_id: uuid.UUID) -> list[uuid.UUID]:
    async with graph.service.wired.unit_of_work() as uow:
        query = select(col(GroupInherit.inherit_id)).where(col(GroupInherit.group_id) == group_id)
        return list((await uow.session.execute(query)).scalars())


async def test_party_changes_reach_the_broker_with_the_user_id(
    service: Iam, tenant: Tenant, graph: GroupGraph
) -> None:
    alice = await known_party(service, tenant)
    user_id = uuid.uuid4()
    js = service.wired.runtime.js
    subscription = await js.subscribe(
        "iam.permissions.updated", config=ConsumerConfig(deliver_policy=DeliverPolicy.NEW)
    )
    async with service.wired.unit_of_work() as uow:
        await apply_user(
            uow.session, tenant_id=tenant.id, user_id=user_id, party_id=alice, deleted_at=None, version=1
        )
        await uow.commit()
    view = await graph.feature("assets.view")
    op = await graph.group(
        "operational",
        inherits=[await graph.group("user", items=[alice]), await graph.group("feature", items=[view])],
    )

    async def next_for_alice() -> dict[str, object]:
        async with asyncio.timeout(20):
            while True:
                message = await subscription.next_msg(timeout=20)
                envelope = orjson.loads(message.data)
                if envelope["aggregate_id"] == str(alice):
                    found: dict[str, object] = envelope
                    return found

    granted = await next_for_alice()
    assert granted["data"] == {
        "contract": 1,
        "party_id": str(alice),
        "user_id": str(user_id),
        "permissions": [{"op_group_id": str(op), "permissions": ["assets.view"], "datazone_ids": None}],
    }
    async with service.wired.unit_of_work() as uow:  # identity deletes alice's party
        await apply_party(
            uow.session, tenant_id=tenant.id, party_id=alice, base_type="user", deleted=True, version=2
        )
        await record_change(uow.session, tenant.id, party_ids=[alice])
        await uow.commit()
    revoked = await next_for_alice()
    assert revoked["data"]["permissions"] == []  # type: ignore[index]
    assert revoked["version"] == granted["version"] + 1  # type: ignore[operator]
    await subscription.unsubscribe()
