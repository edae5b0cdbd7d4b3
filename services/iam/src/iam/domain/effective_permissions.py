"""Effective permissions: what each user may do, and where, through the operational groups
that reach them (seed 004 "Groups"; docs/architecture.md "Permissions").

An operational group O reaches the members of the user groups in closure(O), grants the
``permission`` tags of the features in the feature groups in closure(O), and confines them to
the live datazones of the territory groups in closure(O), or to the whole tenant (``None``)
when closure(O) holds no territory group. closure(O) is O's ``inherit_ids``, transitively;
an operational group inherits any type, any other group only its own. A suspended or deleted
group contributes nothing, as if absent (so do the groups reached only through it), with
one exception that keeps suspension safe: a suspended territory group still confines, to no
datazone, where an absent one would leave the whole tenant.

Pure: the caller loads the part of a tenant's graph that matters and stores what comes out.
Inheritance has no cycles by rule, but every walk here keeps a visited set, so a cycle the
data should never hold still ends.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class GroupType(StrEnum):
    USER = "user"
    TERRITORY = "territory"
    FEATURE = "feature"
    OPERATIONAL = "operational"


@dataclass(frozen=True, slots=True)
class Group:
    """One group as the graph needs it: ``items`` are party ids (user), datazone ids
    (territory) or feature ids (feature); an operational group has none."""

    id: uuid.UUID
    type: GroupType
    live: bool = True  # neither suspended nor deleted
    inherit_ids: frozenset[uuid.UUID] = frozenset()
    items: frozenset[uuid.UUID] = frozenset()


@dataclass(frozen=True, slots=True)
class TenantGraph:
    """The groups of one tenant (or the part of them a computation needs). A group id that
    ``groups`` lacks is absent; a feature id ``feature_tags`` lacks grants nothing; a datazone
    outside ``live_datazone_ids`` is in no territory; a party in ``gone_party_ids`` (deleted, or
    no longer a user) is reached by nothing."""

    groups: Mapping[uuid.UUID, Group]
    feature_tags: Mapping[uuid.UUID, str] = field(default_factory=dict)
    live_datazone_ids: frozenset[uuid.UUID] = frozenset()
    gone_party_ids: frozenset[uuid.UUID] = frozenset()


@dataclass(frozen=True, slots=True, order=True)
class Entry:
    """What one operational group grants one user: sorted tags, and the sorted datazones they
    reach, ``None`` for the whole tenant, ``()`` for no object at all."""

    op_group_id: uuid.UUID
    tags: tuple[str, ...]
    datazone_ids: tuple[uuid.UUID, ...] | None

    def as_payload(self) -> dict[str, Any]:
        """The entry as ``iam.permissions.updated`` carries it."""
        return {
            "op_group_id": str(self.op_group_id),
            "permissions": list(self.tags),
            "datazone_ids": None if self.datazone_ids is None else [str(z) for z in self.datazone_ids],
        }

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Entry:
        zones = payload.get("datazone_ids")
        return cls(
            op_group_id=uuid.UUID(str(payload["op_group_id"])),
            tags=tuple(sorted(set(payload.get("permissions", [])))),
            datazone_ids=None if zones is None else tuple(sorted({uuid.UUID(str(z)) for z in zones})),
        )


@dataclass(frozen=True, slots=True)
class Reach:
    """Everything one live operational group reaches."""

    party_ids: frozenset[uuid.UUID]
    entry: Entry


def _live_inherited(graph: TenantGraph, start: uuid.UUID) -> Iterator[Group]:
    """The live groups start inherits, transitively, through live groups only, and from a
    non-operational group only to groups of its own type, as inheritance allows."""
    seen = {start}
    stack = [start]
    while stack:
        current = graph.groups[stack.pop()]
        for child_id in current.inherit_ids - seen:
            child = graph.groups.get(child_id)
            if child is None:
                continue
            if current.type is not GroupType.OPERATIONAL and child.type is not current.type:
                continue
            seen.add(child_id)
            if child.live:
                stack.append(child_id)
                yield child
            elif child.type is GroupType.TERRITORY:
                yield child  # it gives no datazone, yet it still confines (see operational_reach)


def closure(graph: TenantGraph, group_id: uuid.UUID) -> frozenset[uuid.UUID]:
    """Every group ``group_id`` inherits through any edge, whatever the groups' state: what a
    change to one of them can touch."""
    seen: set[uuid.UUID] = set()
    stack = [group_id]
    while stack:
        current = graph.groups.get(stack.pop())
        if current is None:
            continue
        for child_id in current.inherit_ids - seen:
            seen.add(child_id)
            stack.append(child_id)
    return frozenset(seen)


def operational_reach(graph: TenantGraph, op_group_id: uuid.UUID) -> Reach | None:
    """What a live operational group reaches; ``None`` for any other group."""
    op_group = graph.groups.get(op_group_id)
    if op_group is None or not op_group.live or op_group.type is not GroupType.OPERATIONAL:
        return None
    parties: set[uuid.UUID] = set()
    tags: set[str] = set()
    zones: set[uuid.UUID] | None = None
    for group in _live_inherited(graph, op_group_id):
        if group.type is GroupType.USER:
            parties |= group.items
        elif group.type is GroupType.FEATURE:
            tags.update(graph.feature_tags[f] for f in group.items if f in graph.feature_tags)
        elif group.type is GroupType.TERRITORY:
            # A suspended territory group confines to nothing rather than to nowhere in
            # particular: suspending a restriction must never widen what the group reaches.
            given = group.items & graph.live_datazone_ids if group.live else set()
            zones = (zones or set()) | given
    entry = Entry(op_group_id, tuple(sorted(tags)), None if zones is None else tuple(sorted(zones)))
    return Reach(frozenset(parties - graph.gone_party_ids), entry)


def effective_entries(
    graph: TenantGraph, party_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, tuple[Entry, ...]]:
    """Each party's entries, one per live operational group reaching it, by group id; ``()``
    for a party nothing reaches. ``graph`` must hold every operational group that may reach
    these parties and everything those inherit."""
    wanted = set(party_ids)
    found: dict[uuid.UUID, list[Entry]] = {party_id: [] for party_id in wanted}
    for group_id, group in graph.groups.items():
        if group.type is not GroupType.OPERATIONAL:
            continue
        reach = operational_reach(graph, group_id)
        if reach is None:
            continue
        for party_id in reach.party_ids & wanted:
            found[party_id].append(reach.entry)
    return {party_id: tuple(sorted(entries)) for party_id, entries in found.items()}


def affected_operational_groups(
    graph: TenantGraph, changed_group_ids: Collection[uuid.UUID]
) -> frozenset[uuid.UUID]:
    """The operational groups whose entries a change to these groups may alter: the changed
    ones themselves and those inheriting one of them through any edge, live or not (a
    suspended group in the middle still links what its restoring would bring back)."""
    changed = set(changed_group_ids)
    return frozenset(
        group_id
        for group_id, group in graph.groups.items()
        if group.type is GroupType.OPERATIONAL
        and (group_id in changed or not changed.isdisjoint(closure(graph, group_id)))
    )


def affected_parties(
    graph: TenantGraph,
    changed_group_ids: Collection[uuid.UUID],
    changed_party_ids: Collection[uuid.UUID],
    published: Mapping[uuid.UUID, Collection[uuid.UUID]],
) -> frozenset[uuid.UUID]:
    """The parties whose entries may differ after these changes: those an affected operational
    group reaches now, those whose last published entries (``published``: party id -> the
    operational group ids its entries name) name one (it may reach them no more), and the
    changed parties themselves."""
    operational = affected_operational_groups(graph, changed_group_ids)
    parties = set(changed_party_ids)
    for op_group_id in operational:
        reach = operational_reach(graph, op_group_id)
        if reach is not None:
            parties |= reach.party_ids
    parties.update(party_id for party_id, op_ids in published.items() if not operational.isdisjoint(op_ids))
    return frozenset(parties)
