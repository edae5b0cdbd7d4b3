"""The rules every group write keeps (seed 004 "Groups"), free of I/O: which groups a group may
inherit, that inheritance never loops back and stays at most ``MAX_DEPTH`` levels deep.

The inherit graph is given as adjacency (``group -> the groups it inherits``): the part of it
below the groups to be inherited, and the part above the group written (who inherits it, as
``group -> the groups inheriting it``). Edges of deleted and suspended groups count too, so
restoring or reactivating a group can never close a cycle or make a chain too deep."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping

from iam.errors import InheritanceCycle, InheritanceTooDeep, NonOperationalOtherTypeInherit

GROUP_TYPES = ("user", "territory", "feature", "operational")
OPERATIONAL = "operational"
# Inherit edges in the longest chain through any group (A inherits B inherits C: 2).
MAX_DEPTH = 10

Graph = Mapping[uuid.UUID, Collection[uuid.UUID]]


def holds_items(group_type: str) -> bool:
    """Operational groups hold no items: their items array is ignored."""
    return group_type != OPERATIONAL


def check_inherit_types(group_type: str, inherit_types: Collection[str]) -> None:
    """A non-operational group inherits only groups of its own type; an operational one any."""
    if group_type != OPERATIONAL and any(t != group_type for t in inherit_types):
        raise NonOperationalOtherTypeInherit()


def _longest(start: uuid.UUID, graph: Graph, memo: dict[uuid.UUID, int], path: set[uuid.UUID]) -> int:
    """Edges in the longest chain from ``start`` along ``graph`` (which has no cycle through
    ``start``; a cycle already stored is cut rather than followed forever)."""
    if start in memo:
        return memo[start]
    path.add(start)
    longest = 0
    for nxt in graph.get(start, ()):
        if nxt in path:
            continue
        longest = max(longest, 1 + _longest(nxt, graph, memo, path))
    path.discard(start)
    memo[start] = longest
    return longest


def _reaches(starts: Collection[uuid.UUID], target: uuid.UUID, graph: Graph) -> bool:
    seen: set[uuid.UUID] = set()
    pending = list(starts)
    while pending:
        node = pending.pop()
        if node == target:
            return True
        if node in seen:
            continue
        seen.add(node)
        pending.extend(graph.get(node, ()))
    return False


def check_inheritance(
    group_id: uuid.UUID, inherit_ids: Collection[uuid.UUID], below: Graph, above: Graph
) -> None:
    """``group_id`` is to inherit exactly ``inherit_ids``. ``below``: the edges reachable from
    ``inherit_ids``; ``above``: the reversed edges reachable from ``group_id`` (who inherits it,
    directly or not)."""
    if _reaches(inherit_ids, group_id, below):
        raise InheritanceCycle()
    # The group's own current edges are being replaced: only the new ones lead down from it.
    down_graph = {node: edges for node, edges in below.items() if node != group_id}
    memo: dict[uuid.UUID, int] = {}
    down = max((1 + _longest(i, down_graph, memo, set()) for i in inherit_ids), default=0)
    up = _longest(group_id, above, {}, set())
    if up + down > MAX_DEPTH:
        raise InheritanceTooDeep()
