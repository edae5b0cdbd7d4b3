"""``PUT /datazones/{id}/geozones`` (seed 004 "UPDATE GeoZones for a DataZone"): the whole set
replaces the zone's. A geozone with a null id is created; one with the id of one of this zone's
geozones updates it; any other id (unknown, another zone's, or one already used earlier in the
same list) is replaced by a new id; every geozone of the zone left out is deleted."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class GeozonePlan:
    """Each given geozone's id in the order given (kept or new), and the ids to delete."""

    ids: tuple[uuid.UUID, ...]
    kept: frozenset[uuid.UUID]
    deleted: frozenset[uuid.UUID]


def plan_geozones(
    existing: Collection[uuid.UUID],
    given: Sequence[uuid.UUID | None],
    new_id: Callable[[], uuid.UUID] = uuid.uuid4,
) -> GeozonePlan:
    ours = set(existing)
    ids: list[uuid.UUID] = []
    kept: set[uuid.UUID] = set()
    for wanted in given:
        if wanted is not None and wanted in ours and wanted not in kept:
            kept.add(wanted)
            ids.append(wanted)
        else:
            ids.append(new_id())
    return GeozonePlan(tuple(ids), frozenset(kept), frozenset(ours - kept))
