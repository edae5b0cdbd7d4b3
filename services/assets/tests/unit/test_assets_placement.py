"""Where an asset of a type may sit, and what it may carry."""

from __future__ import annotations

import uuid

import pytest

from assets.domain.asset_types import STANDARD_TYPES, TypeRules, provisioned
from assets.domain.hierarchy import check_move
from assets.domain.placement import Placement, check_placement, check_type_change
from assets.errors import (
    AssignedObjectsNotPermitted,
    ContainerTypeChangeRestricted,
    EntityNotPermitted,
    GeoNotPermitted,
    HierarchyTooDeep,
    ParentCycle,
    ParentNotPermitted,
    ParentRequired,
)

TENANT = uuid.uuid4()
TYPES = {template.key: provisioned(TENANT, template) for template in STANDARD_TYPES}


def placed(parent: TypeRules | None = None, **given: bool) -> Placement:
    flags = {"has_address": False, "has_geo": False, "has_entity": False, "has_assigned": False, **given}
    return Placement(parent_type=parent, has_parent=parent is not None, **flags)


def test_the_standard_tree() -> None:
    check_placement(TYPES["site"], placed())
    check_placement(TYPES["building"], placed(TYPES["site"]))
    check_placement(TYPES["floor"], placed(TYPES["building"]))
    check_placement(TYPES["unit"], placed(TYPES["floor"], has_geo=True, has_assigned=True))
    with pytest.raises(ParentNotPermitted):
        check_placement(TYPES["site"], placed(TYPES["site"]))
    with pytest.raises(ParentRequired):
        check_placement(TYPES["floor"], placed())
    with pytest.raises(GeoNotPermitted):
        check_placement(TYPES["floor"], placed(TYPES["building"], has_geo=True))
    with pytest.raises(EntityNotPermitted):
        check_placement(TYPES["building"], placed(has_entity=True))
    with pytest.raises(AssignedObjectsNotPermitted):
        check_placement(TYPES["site"], placed(has_assigned=True))


def test_type_ids_are_the_tenants_own_and_stable() -> None:
    again = {template.key: provisioned(TENANT, template) for template in STANDARD_TYPES}
    other = {template.key: provisioned(uuid.uuid4(), template) for template in STANDARD_TYPES}
    assert again == TYPES
    assert {t.id for t in other.values()}.isdisjoint({t.id for t in TYPES.values()})


def test_containers_stay_containers() -> None:
    check_type_change(TYPES["site"], TYPES["building"])
    with pytest.raises(ContainerTypeChangeRestricted):
        check_type_change(TYPES["site"], TYPES["unit"])


def test_moves_that_loop_or_go_too_deep() -> None:
    me, parent = uuid.uuid4(), uuid.uuid4()
    check_move(me, [parent], 1, 2)
    with pytest.raises(ParentCycle):
        check_move(me, [parent, me], 1, 10)
    with pytest.raises(HierarchyTooDeep):
        check_move(me, [parent], 2, 2)
