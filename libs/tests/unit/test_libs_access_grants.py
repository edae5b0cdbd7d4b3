"""A caller's grants: reach per tag folded from operational groups, checks on objects by their
datazones, ``__permissions__``, the token fallback and the system administrator."""

from __future__ import annotations

import uuid

import pytest

from proximity.access.grants import EVERYWHERE, NOWHERE, GrantEntry, Grants
from proximity.auth.permission_catalogue import UnknownPermission
from proximity.errors import PermissionDenied

NORTH, SOUTH, EAST = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


def entry(tags: set[str], zones: set[uuid.UUID] | None) -> GrantEntry:
    return GrantEntry(uuid.uuid4(), frozenset(tags), None if zones is None else frozenset(zones))


def test_a_tag_reaches_the_union_of_its_groups_territories() -> None:
    grants = Grants.of_entries(
        [entry({"assets.view"}, {NORTH}), entry({"assets.view", "assets.update"}, {SOUTH})]
    )

    assert grants.reach("assets.view") == frozenset({NORTH, SOUTH})
    assert grants.reach("assets.update") == frozenset({SOUTH})
    assert grants.reach("assets.delete") == NOWHERE


def test_a_group_without_territory_reaches_everywhere() -> None:
    grants = Grants.of_entries([entry({"assets.view"}, {NORTH}), entry({"assets.view"}, None)])

    assert grants.reach("assets.view") is EVERYWHERE
    assert grants.list_zones("assets.view") is None
    assert grants.may("assets.view", frozenset())  # even an object in no zone


def test_territory_groups_without_live_zones_reach_nothing() -> None:
    grants = Grants.of_entries([entry({"assets.view"}, set())])

    assert grants.reach("assets.view") == NOWHERE
    assert grants.list_zones("assets.view") == frozenset()
    assert not grants.holds("assets.view")
    assert not grants.may("assets.view", {NORTH})


def test_may_needs_the_tag_on_one_of_the_objects_zones() -> None:
    grants = Grants.of_entries([entry({"assets.view", "assets.update"}, {NORTH})])

    assert grants.may("assets.view", {NORTH, EAST})
    assert not grants.may("assets.view", {SOUTH})
    assert not grants.may("assets.view", set())  # an object in no zone is outside every territory
    assert not grants.may("assets.delete", {NORTH})
    grants.require("assets.update", {NORTH})
    with pytest.raises(PermissionDenied):
        grants.require("assets.update", {SOUTH})
    with pytest.raises(PermissionDenied):
        grants.require_somewhere("assets.delete")


def test_object_permissions_are_the_resources_tags_held_on_the_object() -> None:
    grants = Grants.of_entries(
        [
            entry({"assets.view", "entities.view"}, None),
            entry({"assets.update", "assets.delete"}, {NORTH}),
        ]
    )

    assert grants.object_permissions("assets", {NORTH}) == ["assets.delete", "assets.update", "assets.view"]
    assert grants.object_permissions("assets", {SOUTH}) == ["assets.view"]
    assert grants.object_permissions("entities", set()) == ["entities.view"]
    assert grants.with_permissions({"id": 1}, "assets", [SOUTH]) == {
        "id": 1,
        "__permissions__": ["assets.view"],
    }
    with pytest.raises(UnknownPermission):
        grants.object_permissions("asset", {NORTH})


def test_the_token_fallback_reaches_the_whole_tenant() -> None:
    grants = Grants.from_token({"assets.view", "assets.create"})

    assert grants.source == "token"
    assert grants.may("assets.view", set())
    assert grants.reach("assets.create") is EVERYWHERE
    assert grants.object_permissions("assets", set()) == ["assets.create", "assets.view"]


def test_a_system_administrator_may_everything_and_gets_no_permissions_array() -> None:
    grants = Grants.everything()

    assert grants.may("assets.delete", set())
    assert grants.list_zones("assets.view") is None
    assert grants.object_permissions("assets", {NORTH}) is None
    assert grants.with_permissions({"id": 1}, "assets", set()) == {"id": 1}


def test_a_tag_outside_the_catalogue_cannot_be_checked_even_by_an_administrator() -> None:
    with pytest.raises(UnknownPermission):
        Grants.everything().may("asset.view", set())


def test_entries_round_trip_the_replica_form() -> None:
    group = uuid.uuid4()
    items = [
        {"op_group_id": str(group), "permissions": ["assets.view"], "datazone_ids": [str(NORTH)]},
        {"op_group_id": None, "permissions": ["entities.view"], "datazone_ids": None},
    ]

    grants = Grants.from_json(items)

    assert grants.entries[0] == GrantEntry(group, frozenset({"assets.view"}), frozenset({NORTH}))
    assert [item.to_json() for item in grants.entries] == items
    assert grants.reach("entities.view") is EVERYWHERE
    with pytest.raises(ValueError, match="permissions must be a list"):
        Grants.from_json([{"permissions": "assets.view"}])
