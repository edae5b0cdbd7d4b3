"""The inheritance rules on hand-made graphs: which types may be inherited, no cycle, at most
ten levels through the group written."""

from __future__ import annotations

import uuid

import pytest

from iam.domain.group_rules import MAX_DEPTH, check_inherit_types, check_inheritance, holds_items
from iam.errors import InheritanceCycle, InheritanceTooDeep, NonOperationalOtherTypeInherit


def ids(count: int) -> list[uuid.UUID]:
    return [uuid.uuid4() for _ in range(count)]


def test_types() -> None:
    check_inherit_types("user", ["user", "user"])
    check_inherit_types("operational", ["user", "feature", "territory", "operational"])
    for group_type, inherited in (
        ("user", ["feature"]),
        ("feature", ["operational"]),
        ("territory", ["user"]),
    ):
        with pytest.raises(NonOperationalOtherTypeInherit):
            check_inherit_types(group_type, inherited)
    assert holds_items("user")
    assert not holds_items("operational")


def test_a_cycle_directly_or_through_others() -> None:
    g, a, b = ids(3)
    with pytest.raises(InheritanceCycle):
        check_inheritance(g, [g], {}, {})
    with pytest.raises(InheritanceCycle):
        check_inheritance(g, [a], {a: {b}, b: {g}}, {})
    check_inheritance(g, [a], {a: {b}}, {})


def chain(length: int) -> tuple[list[uuid.UUID], dict[uuid.UUID, set[uuid.UUID]]]:
    """``length`` groups, each inheriting the next: ``length - 1`` edges."""
    nodes = ids(length)
    return nodes, {nodes[i]: {nodes[i + 1]} for i in range(length - 1)}


def test_depth_counts_the_chain_below_and_above() -> None:
    g = uuid.uuid4()
    below_nodes, below = chain(MAX_DEPTH)  # G -> 10 nodes: 10 edges
    check_inheritance(g, [below_nodes[0]], below, {})
    longer_nodes, longer = chain(MAX_DEPTH + 1)
    with pytest.raises(InheritanceTooDeep):
        check_inheritance(g, [longer_nodes[0]], longer, {})
    parent = uuid.uuid4()
    with pytest.raises(InheritanceTooDeep):
        check_inheritance(g, [below_nodes[0]], below, {g: {parent}})
    # Several branches: the longest counts, not their sum.
    short_nodes, short = chain(3)
    check_inheritance(g, [below_nodes[0], short_nodes[0]], {**below, **short}, {})


def test_a_stored_cycle_elsewhere_is_not_followed_forever() -> None:
    g, a, b = ids(3)
    check_inheritance(g, [a], {a: {b}, b: {a}}, {})
