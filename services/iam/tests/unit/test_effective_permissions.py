"""Effective permissions as iam-contract defines them: who an operational group reaches, with
which tags and where, and which users a change to some groups may touch."""

from __future__ import annotations

import uuid

from iam.domain.effective_permissions import (
    Entry,
    Group,
    GroupType,
    TenantGraph,
    affected_operational_groups,
    affected_parties,
    closure,
    effective_entries,
    operational_reach,
)

USER, FEATURE, TERRITORY, OPERATIONAL = (
    GroupType.USER,
    GroupType.FEATURE,
    GroupType.TERRITORY,
    GroupType.OPERATIONAL,
)


def ids(count: int) -> list[uuid.UUID]:
    return sorted(uuid.uuid4() for _ in range(count))


def group(
    type_: GroupType,
    *,
    inherits: tuple[Group | uuid.UUID, ...] = (),
    items: tuple[uuid.UUID, ...] = (),
    live: bool = True,
) -> Group:
    inherit_ids = frozenset(g.id if isinstance(g, Group) else g for g in inherits)
    return Group(uuid.uuid4(), type_, live, inherit_ids, frozenset(items))


def graph_of(
    *groups: Group,
    tags: dict[uuid.UUID, str] | None = None,
    zones: tuple[uuid.UUID, ...] = (),
    gone: tuple[uuid.UUID, ...] = (),
) -> TenantGraph:
    return TenantGraph({g.id: g for g in groups}, tags or {}, frozenset(zones), frozenset(gone))


VIEW, CREATE, UPDATE = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
TAGS = {VIEW: "assets.view", CREATE: "assets.create", UPDATE: "assets.update"}


def test_an_operational_group_grants_its_feature_tags_to_its_users_everywhere() -> None:
    alice, bob, carol = ids(3)
    users = group(USER, items=(alice, bob))
    features = group(FEATURE, items=(VIEW, CREATE, VIEW))
    op = group(OPERATIONAL, inherits=(users, features))

    found = effective_entries(graph_of(users, features, op, tags=TAGS), [alice, bob, carol])

    everywhere = (Entry(op.id, ("assets.create", "assets.view"), None),)
    assert found == {alice: everywhere, bob: everywhere, carol: ()}


def test_territory_is_the_live_datazones_of_the_territory_groups() -> None:
    alice = uuid.uuid4()
    live_a, live_b, dead = ids(3)
    users = group(USER, items=(alice,))
    features = group(FEATURE, items=(VIEW,))
    east = group(TERRITORY, items=(live_b, dead))
    west = group(TERRITORY, items=(live_a,))
    nowhere = group(TERRITORY, items=(dead,))
    zoned = group(OPERATIONAL, inherits=(users, features, east, west))
    nothing = group(OPERATIONAL, inherits=(users, features, nowhere))
    graph = graph_of(users, features, east, west, nowhere, zoned, nothing, tags=TAGS, zones=(live_a, live_b))

    entries = dict((e.op_group_id, e) for e in effective_entries(graph, [alice])[alice])

    assert entries[zoned.id].datazone_ids == tuple(sorted((live_a, live_b)))
    assert entries[nothing.id].datazone_ids == ()  # territory, but no live zone: no object


def test_membership_and_content_are_inherited_transitively_within_a_type() -> None:
    alice, bob, zone = ids(3)
    inner_users = group(USER, items=(bob,))
    users = group(USER, items=(alice,), inherits=(inner_users,))
    inner_features = group(FEATURE, items=(UPDATE,))
    features = group(FEATURE, items=(VIEW,), inherits=(inner_features,))
    inner_territory = group(TERRITORY, items=(zone,))
    territory = group(TERRITORY, inherits=(inner_territory,))
    op = group(OPERATIONAL, inherits=(users, features, territory))
    graph = graph_of(
        inner_users, users, inner_features, features, inner_territory, territory, op, tags=TAGS, zones=(zone,)
    )

    found = effective_entries(graph, [alice, bob])

    expected = (Entry(op.id, ("assets.update", "assets.view"), (zone,)),)
    assert found == {alice: expected, bob: expected}


def test_a_non_operational_group_inherits_nothing_of_another_type() -> None:
    alice = uuid.uuid4()
    features = group(FEATURE, items=(VIEW,))
    users = group(USER, items=(alice,), inherits=(features,))  # not allowed: ignored
    op = group(OPERATIONAL, inherits=(users,))

    assert effective_entries(graph_of(features, users, op, tags=TAGS), [alice]) == {
        alice: (Entry(op.id, (), None),)
    }


def test_an_operational_group_inheriting_another_reaches_through_it_and_both_grant() -> None:
    alice, bob = ids(2)
    inner_users = group(USER, items=(alice,))
    inner_features = group(FEATURE, items=(VIEW,))
    inner = group(OPERATIONAL, inherits=(inner_users, inner_features))
    outer_users = group(USER, items=(bob,))
    outer_features = group(FEATURE, items=(CREATE,))
    outer = group(OPERATIONAL, inherits=(inner, outer_users, outer_features))
    graph = graph_of(inner_users, inner_features, inner, outer_users, outer_features, outer, tags=TAGS)

    found = effective_entries(graph, [alice, bob])

    outer_entry = Entry(outer.id, ("assets.create", "assets.view"), None)
    assert found[alice] == tuple(sorted((Entry(inner.id, ("assets.view",), None), outer_entry)))
    assert found[bob] == (outer_entry,)


def test_a_suspended_or_deleted_group_contributes_nothing_nor_what_it_inherits_but_confines() -> None:
    alice, bob, zone = ids(3)
    far_users = group(USER, items=(bob,))
    dead_users = group(USER, items=(alice,), inherits=(far_users,), live=False)
    users = group(USER, inherits=(dead_users,))
    features = group(FEATURE, items=(VIEW,))
    dead_features = group(FEATURE, items=(CREATE,), live=False)
    dead_territory = group(TERRITORY, items=(zone,), live=False)
    op = group(OPERATIONAL, inherits=(users, dead_users, features, dead_features, dead_territory))
    direct_users = group(USER, items=(alice,))
    suspended_op = group(OPERATIONAL, inherits=(direct_users, features), live=False)
    graph = graph_of(
        far_users,
        dead_users,
        users,
        features,
        dead_features,
        dead_territory,
        op,
        direct_users,
        suspended_op,
        tags=TAGS,
        zones=(zone,),
    )

    assert effective_entries(graph, [alice, bob]) == {alice: (), bob: ()}
    assert operational_reach(graph, suspended_op.id) is None
    assert operational_reach(graph, users.id) is None  # not an operational group
    reach = operational_reach(graph, op.id)
    assert reach is not None
    assert reach.party_ids == frozenset()
    # A suspended territory still confines, to nothing: suspending it never widens the reach.
    assert reach.entry == Entry(op.id, ("assets.view",), ())


def test_unknown_ids_and_gone_parties_contribute_nothing() -> None:
    alice, bob = ids(2)
    users = group(USER, items=(alice, bob), inherits=(uuid.uuid4(),))
    features = group(FEATURE, items=(VIEW, uuid.uuid4()))
    op = group(OPERATIONAL, inherits=(users, features, uuid.uuid4()))

    found = effective_entries(graph_of(users, features, op, tags=TAGS, gone=(bob,)), [alice, bob])

    assert found == {alice: (Entry(op.id, ("assets.view",), None),), bob: ()}


def test_cycles_the_rules_forbid_still_end() -> None:
    alice = uuid.uuid4()
    a_id, b_id, op_a_id, op_b_id = ids(4)
    a = Group(a_id, USER, True, frozenset({b_id}), frozenset({alice}))
    b = Group(b_id, USER, True, frozenset({a_id}), frozenset())
    features = group(FEATURE, items=(VIEW,))
    op_a = Group(op_a_id, OPERATIONAL, True, frozenset({op_b_id, a_id, features.id}))
    op_b = Group(op_b_id, OPERATIONAL, True, frozenset({op_a_id, op_b_id}))
    graph = graph_of(a, b, features, op_a, op_b, tags=TAGS)

    found = effective_entries(graph, [alice])

    assert found[alice] == tuple(
        sorted((Entry(op_a_id, ("assets.view",), None), Entry(op_b_id, ("assets.view",), None)))
    )
    assert closure(graph, op_a_id) == {op_a_id, op_b_id, a_id, b_id, features.id}
    assert affected_operational_groups(graph, [b_id]) == {op_a_id, op_b_id}


def test_entries_travel_as_the_event_carries_them() -> None:
    zone_a, zone_b, op_id = ids(3)
    entry = Entry(op_id, ("assets.create", "assets.view"), (zone_a, zone_b))

    payload = entry.as_payload()

    assert payload == {
        "op_group_id": str(op_id),
        "permissions": ["assets.create", "assets.view"],
        "datazone_ids": [str(zone_a), str(zone_b)],
    }
    assert Entry.from_payload(payload) == entry
    everywhere = Entry(op_id, (), None)
    assert everywhere.as_payload()["datazone_ids"] is None
    assert Entry.from_payload(everywhere.as_payload()) == everywhere
    shuffled = {"op_group_id": str(op_id), "permissions": ["b", "a", "b"], "datazone_ids": [str(zone_b)]}
    assert Entry.from_payload(shuffled) == Entry(op_id, ("a", "b"), (zone_b,))


def test_a_change_affects_the_operational_groups_inheriting_it_through_any_edge() -> None:
    features = group(FEATURE, items=(VIEW,))
    middle = group(FEATURE, inherits=(features,), live=False)  # suspended: still links
    users = group(USER)
    through = group(OPERATIONAL, inherits=(middle, users))
    nested = group(OPERATIONAL, inherits=(through,), live=False)
    unrelated = group(OPERATIONAL, inherits=(users,))
    graph = graph_of(features, middle, users, through, nested, unrelated, tags=TAGS)

    assert affected_operational_groups(graph, [features.id]) == {through.id, nested.id}
    assert affected_operational_groups(graph, [unrelated.id]) == {unrelated.id}
    assert affected_operational_groups(graph, [users.id]) == {through.id, nested.id, unrelated.id}
    assert affected_operational_groups(graph, [uuid.uuid4()]) == frozenset()


def test_affected_parties_are_reached_now_named_before_or_changed_themselves() -> None:
    alice, bob, carol, dave, erin = ids(5)
    features = group(FEATURE, items=(VIEW,))
    users = group(USER, items=(alice,))
    op = group(OPERATIONAL, inherits=(users, features))
    other_users = group(USER, items=(dave,))
    other = group(OPERATIONAL, inherits=(other_users,))
    graph = graph_of(features, users, op, other_users, other, tags=TAGS)
    published = {bob: [op.id], dave: [other.id], erin: [other.id, op.id]}

    found = affected_parties(graph, [features.id], [carol], published)

    # alice: reached now; bob and erin: op named in what they last got; carol: changed.
    assert found == {alice, bob, carol, erin}
    assert affected_parties(graph, [], [], published) == frozenset()
