"""One tenant's points in memory, clustered and kept current: what a heatmap query reads.

The read model's rows arrive here (``apply``, ``apply_value``) at start-up and then as they
change; each point takes a slot, its columns live in arrays by slot, and the located ones are in
a ``LiveIndex`` (clusters kept current without a rebuild). Membership in the tenant's datazones
is computed here from the datazone replica (``set_territory``), so a datazone change touches no
row of the read model.

A query for everything the tenant has (a caller who may view both kinds everywhere, no text
filter, no datazones, the default tuning) reads the live index. Any narrower query clusters its
own subset (supercluster's semantics on exactly the points the caller may see: a pin never
reveals where hidden points are; ``map_subsets``), built once and kept current from then on.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import shapely

from heatmaps.domain.cluster_index import ClusterOptions
from heatmaps.domain.live_index import LiveIndex, Pins
from heatmaps.domain.map_points import KINDS, Kind, MapPoint
from heatmaps.domain.map_subsets import SMALL_INDEX, SubsetBuild, SubsetRule, Subsets
from heatmaps.domain.map_view import MapView, MetricColumn, ZonePins
from heatmaps.domain.pin_metrics import MetricTotals, largest_total, percents, totals_of
from proximity.access.grants import EVERYWHERE
from proximity.access.territory import Territory

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

KIND_CODE: dict[Kind, int] = {kind: code for code, kind in enumerate(KINDS)}
_EMPTY = np.empty(0, np.int64)


@dataclass(frozen=True, slots=True)
class _Grouped:
    """Pins of one datazone entry before metrics: positions or field values, and members."""

    lng: F64 | None
    lat: F64 | None
    fields: list[str] | None
    members: I64
    offsets: I64


class TenantMap:
    def __init__(self, options: ClusterOptions | None = None, *, refresh_after: float = 0.0) -> None:
        """``refresh_after``: how old (seconds) an answer of the live index may be under a stream
        of changes (``LiveIndex``); 0, every change shows in the next query."""
        self.options = options or ClusterOptions()
        self.live = LiveIndex(self.options, refresh_after=refresh_after, compact_below=SMALL_INDEX)
        self._slot: dict[uuid.UUID, int] = {}
        self._free: list[int] = []
        self._points: list[MapPoint | None] = []
        self._id_texts: list[str] = []  # each slot's point id as the answer spells it
        self._versions: dict[uuid.UUID, int] = {}  # deleted points too: a late event is old
        self._lng: F64 = np.full(0, np.nan)
        self._lat: F64 = np.full(0, np.nan)
        self._kind = np.zeros(0, np.int8)
        self._groups: dict[str, npt.NDArray[np.object_]] = {}
        # What keywords match, per slot: made on the first text query, not for every point loaded.
        self._search: list[str | None] = []
        self._zones: list[frozenset[uuid.UUID]] = []
        self._zone_members: dict[uuid.UUID, set[int]] = {}
        self._assets_of_entity: dict[uuid.UUID, set[uuid.UUID]] = {}
        self._values: dict[uuid.UUID, F64] = {}
        # point -> field -> {object: value}: a point's value for a field is the sum over objects.
        self._value_parts: dict[uuid.UUID, dict[uuid.UUID, dict[uuid.UUID, float]]] = {}
        self._value_versions: dict[tuple[uuid.UUID, uuid.UUID, uuid.UUID], int] = {}
        self._territory = Territory(())
        self._subsets = Subsets()

    # -- keeping it current -------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.live)

    def stage(self, points: Iterable[MapPoint]) -> None:
        """Many points at once (start-up), the index left as it is until ``build``."""
        for point in points:
            if self._versions.get(point.id, 0) < point.version:
                self._store(point)

    def build(self) -> None:
        """The live index over every located point, built once (after ``stage``)."""
        slots = np.flatnonzero(~np.isnan(self._lng))
        self.live.load(slots.astype(np.int64), self._lng[slots], self._lat[slots])

    def apply(self, point: MapPoint) -> bool:
        """One point's new state; False when an equal or newer one is already here."""
        if self._versions.get(point.id, 0) >= point.version:
            return False
        slot = self._store(point)
        if slot is None:
            return True
        if np.isnan(self._lng[slot]):
            self.live.remove(slot)
        else:
            self.live.put(slot, float(self._lng[slot]), float(self._lat[slot]))
        self._subsets.changed(slot)
        return True

    def apply_value(
        self,
        field_id: uuid.UUID,
        point_id: uuid.UUID,
        object_id: uuid.UUID,
        value: float | None,
        version: int,
    ) -> bool:
        """A dynamic field's value whose subject is the point (None: cleared)."""
        key = (field_id, point_id, object_id)
        if self._value_versions.get(key, 0) >= version:
            return False
        self._value_versions[key] = version
        parts = self._value_parts.setdefault(point_id, {}).setdefault(field_id, {})
        if value is None:
            parts.pop(object_id, None)
        else:
            parts[object_id] = value
        slot = self._slot.get(point_id)
        if slot is not None:
            self._write_value(field_id, slot, parts)
        return True

    def set_territory(self, territory: Territory) -> None:
        """The tenant's datazones changed: every point's membership again (vectorised)."""
        self._territory = territory
        self._subsets.forget()  # points move between rules wholesale: subsets are built again
        slots = [slot for slot, point in enumerate(self._points) if point is not None]
        located = [self._points[slot] for slot in slots]
        zones = territory.zones_of_many([p.locatable(self._industry_of(p)) for p in located if p is not None])
        self._zone_members = {}
        for slot, found in zip(slots, zones, strict=True):
            self._zones[slot] = found
            for zone in found:
                self._zone_members.setdefault(zone, set()).add(slot)

    def _industry_of(self, point: MapPoint) -> uuid.UUID | None:
        if point.kind == "entity" or point.entity_id is None:
            return point.industry_id
        slot = self._slot.get(point.entity_id)
        entity = self._points[slot] if slot is not None else None
        return entity.industry_id if entity is not None else None

    def _grow(self, size: int) -> None:
        if size <= len(self._lng):
            return
        capacity = max(size, 2 * len(self._lng), 1024)
        extra = capacity - len(self._lng)
        self._lng = np.concatenate([self._lng, np.full(extra, np.nan)])
        self._lat = np.concatenate([self._lat, np.full(extra, np.nan)])
        self._kind = np.concatenate([self._kind, np.zeros(extra, np.int8)])
        for name, group in list(self._groups.items()):
            self._groups[name] = np.concatenate([group, np.full(extra, None, dtype=object)])
        for field_id, values in list(self._values.items()):
            self._values[field_id] = np.concatenate([values, np.full(extra, np.nan)])

    def _store(self, point: MapPoint) -> int | None:
        """Writes the point's columns; returns its slot (None: it has none and gets none)."""
        self._versions[point.id] = point.version
        previous_slot = self._slot.get(point.id)
        old: MapPoint | None = None
        if previous_slot is not None:
            self._forget_zones(previous_slot)
            old = self._points[previous_slot]
            if old is not None and old.kind == "asset" and old.entity_id:
                self._assets_of_entity.get(old.entity_id, set()).discard(point.id)
        if not point.on_map:
            if previous_slot is not None:
                self._release(point.id, previous_slot)
            return previous_slot
        slot = previous_slot if previous_slot is not None else self._take(point.id)
        self._points[slot] = point
        self._lng[slot] = point.lng if point.located else np.nan
        self._lat[slot] = point.lat if point.located else np.nan
        self._kind[slot] = KIND_CODE[point.kind]
        for name in ("country", "region", "city"):
            self._groups[name][slot] = point.group_value(name)
        self._search[slot] = None
        zones = self._territory.zones_of(point.locatable(self._industry_of(point)))
        self._zones[slot] = zones
        for zone in zones:
            self._zone_members.setdefault(zone, set()).add(slot)
        if point.kind == "asset" and point.entity_id:
            self._assets_of_entity.setdefault(point.entity_id, set()).add(point.id)
        if point.kind == "entity" and (previous_slot is None or _industry_changed(old, point)):
            self._recompute_assets_of(point.id)
        for field_id, parts in self._value_parts.get(point.id, {}).items():
            self._write_value(field_id, slot, parts)
        return slot

    def _recompute_assets_of(self, entity_id: uuid.UUID) -> None:
        for asset_id in self._assets_of_entity.get(entity_id, set()):
            slot = self._slot.get(asset_id)
            asset = self._points[slot] if slot is not None else None
            if slot is None or asset is None:
                continue
            self._forget_zones(slot)
            zones = self._territory.zones_of(asset.locatable(self._industry_of(asset)))
            self._zones[slot] = zones
            for zone in zones:
                self._zone_members.setdefault(zone, set()).add(slot)
            self._subsets.changed(slot)

    def _take(self, point_id: uuid.UUID) -> int:
        if self._free:
            slot = self._free.pop()
        else:
            slot = len(self._points)
            self._points.append(None)
            self._id_texts.append("")
            self._search.append(None)
            self._zones.append(frozenset())
            if not self._groups:
                self._groups = {
                    name: np.full(0, None, dtype=object) for name in ("country", "region", "city")
                }
            self._grow(slot + 1)
        self._slot[point_id] = slot
        self._id_texts[slot] = str(point_id)
        return slot

    def _release(self, point_id: uuid.UUID, slot: int) -> None:
        self.live.remove(slot)
        del self._slot[point_id]
        self._points[slot] = None
        self._lng[slot] = self._lat[slot] = np.nan
        self._search[slot] = None
        for column in self._values.values():
            column[slot] = np.nan
        self._free.append(slot)

    def _forget_zones(self, slot: int) -> None:
        for zone in self._zones[slot]:
            members = self._zone_members.get(zone)
            if members is not None:
                members.discard(slot)
        self._zones[slot] = frozenset()

    def _write_value(self, field_id: uuid.UUID, slot: int, parts: dict[uuid.UUID, float]) -> None:
        column = self._values.get(field_id)
        if column is None:
            column = self._values[field_id] = np.full(len(self._lng), np.nan)
        column[slot] = sum(parts.values()) if parts else np.nan

    # -- answering ----------------------------------------------------------------------

    def builds_for(self, view: MapView) -> list[SubsetBuild]:
        """The subsets ``view`` needs that are not built yet, their points copied: ``run`` each
        (in a worker thread if it is large), ``adopt`` them, then ``query``."""
        if view.group_type != "cluster":
            return []
        builds: list[SubsetBuild] = []
        for _zone, rule in self._entries(view):
            if rule is not None and not self._subsets.cached(rule) and all(b.rule != rule for b in builds):
                slots = self._slots_of(rule)
                at = self._subsets.begin()
                builds.append(SubsetBuild(rule, slots, self._lng[slots].copy(), self._lat[slots].copy(), at))
        return builds

    def adopt(self, builds: Iterable[SubsetBuild]) -> None:
        for build in builds:
            self._subsets.adopt(build)

    def indexes_due(self) -> list[LiveIndex]:
        """The live indexes (the tenant's, its subsets') whose changes call for a compaction."""
        return [index for index in (self.live, *self._subsets.indexes()) if index.needs_compaction()]

    def query(self, view: MapView) -> list[ZonePins]:
        """Per datazone entry (``view.datazones`` each, then null: all of them together; or
        only null: everything the caller may view), its pins with their metrics. A subset not
        built yet (see ``builds_for``) is built here, on the caller's thread."""
        grouped = [(zone, self._grouped(view, rule)) for zone, rule in self._entries(view)]
        totals = [
            [totals_of(metric, self._values, group.members, group.offsets) for metric in view.metrics]
            for _zone, group in grouped
        ]
        largest = [largest_total([part[m] for part in totals]) for m in range(len(view.metrics))]
        return [
            self._entry(view, zone, group, parts, largest)
            for (zone, group), parts in zip(grouped, totals, strict=True)
        ]

    def _entries(self, view: MapView) -> list[tuple[uuid.UUID | None, SubsetRule | None]]:
        """Per answer entry, the rule of the points it counts (None: every point of the tenant,
        the live index as it is)."""
        if view.datazones is None:
            everything = (
                view.kinds == frozenset(KINDS)
                and all(view.reach.get(kind) is EVERYWHERE for kind in KINDS)
                and not view.keywords
                and view.query is None
                and view.options == self.options
            )
            return [(None, None if everything else self._rule(view, None))]
        entries: list[tuple[uuid.UUID | None, SubsetRule | None]] = [
            (zone, self._rule(view, frozenset({zone}))) for zone in view.datazones
        ]
        entries.append((None, self._rule(view, frozenset(view.datazones))))
        return entries

    def _rule(self, view: MapView, zones: frozenset[uuid.UUID] | None) -> SubsetRule:
        reach: list[tuple[int, frozenset[uuid.UUID] | None]] = []
        for kind in sorted(view.kinds):
            found = view.reach.get(kind, frozenset())
            reach.append((KIND_CODE[kind], None if found is EVERYWHERE else frozenset(found)))  # type: ignore[arg-type]
        text = None if view.query is None else (view.query[0].casefold(), view.query[1])
        return SubsetRule(
            kinds=frozenset(KIND_CODE[kind] for kind in view.kinds),
            reach=tuple(reach),
            words=tuple(word.casefold() for word in view.keywords),
            query=text,
            zones=zones,
            options=view.options,
        )

    def _members_of(self, zones: Iterable[uuid.UUID]) -> I64:
        found: set[int] = set()
        for zone in zones:
            found |= self._zone_members.get(zone, set())
        return np.fromiter(found, np.int64, len(found))

    def _slots_of(self, rule: SubsetRule | None) -> I64:
        """The located slots ``rule`` admits (None: every located slot), ascending."""
        slots = np.flatnonzero(~np.isnan(self._lng)).astype(np.int64)
        if rule is None:
            return slots
        slots = slots[np.isin(self._kind[slots], list(rule.kinds))]
        for code, reach in rule.reach:
            if reach is not None:
                other = self._kind[slots] != code
                slots = slots[other | np.isin(slots, self._members_of(reach))]
        if rule.zones is not None:
            slots = slots[np.isin(slots, self._members_of(rule.zones))]
        if rule.words:
            slots = np.array(
                [s for s in slots.tolist() if all(w in self._text_of(s) for w in rule.words)], np.int64
            )
        if rule.query is not None:
            text, target = rule.query
            slots = np.array([s for s in slots.tolist() if text in self._target(s, target)], np.int64)
        return slots.astype(np.int64)

    def _admits(self, rule: SubsetRule, slot: int) -> tuple[float, float] | None:
        """The slot's coordinates if ``rule`` admits its point now, else None (one point at a
        time: what a subset replays)."""
        lng, lat = float(self._lng[slot]), float(self._lat[slot])
        code = int(self._kind[slot])
        if lng != lng or self._points[slot] is None or code not in rule.kinds:
            return None
        zones = self._zones[slot]
        for kind_code, reach in rule.reach:
            if kind_code == code and reach is not None and zones.isdisjoint(reach):
                return None
        if rule.zones is not None and zones.isdisjoint(rule.zones):
            return None
        if rule.words and not all(w in self._text_of(slot) for w in rule.words):
            return None
        if rule.query is not None and rule.query[0] not in self._target(slot, rule.query[1]):
            return None
        return lng, lat

    def _text_of(self, slot: int) -> str:
        text = self._search[slot]
        if text is None:
            point = self._points[slot]
            text = self._search[slot] = point.search_text() if point is not None else ""
        return text

    def _target(self, slot: int, target: str) -> str:
        point = self._points[slot]
        if point is None:
            return ""
        if target == "name":
            return point.name.casefold()
        if target == "address":
            return self._text_of(slot)
        value = point.group_value(target)
        return value.casefold() if value else ""

    def _index_of(self, rule: SubsetRule | None) -> LiveIndex:
        if rule is None:
            return self.live
        found = self._subsets.current(rule, self._admits)
        if found is None:
            slots = self._slots_of(rule)
            build = SubsetBuild(rule, slots, self._lng[slots], self._lat[slots], self._subsets.begin())
            build.run()
            self._subsets.adopt(build)
            found = self._subsets.current(rule, self._admits)
            assert found is not None
        return found

    def _grouped(self, view: MapView, rule: SubsetRule | None) -> _Grouped:
        if view.group_type == "cluster":
            pins = self._index_of(rule).clusters(view.bbox, view.zoom)
            if view.shape is not None and len(pins):
                pins = _inside(pins, view.shape)
            return _Grouped(pins.lng, pins.lat, None, pins.members, pins.offsets)
        return self._by_field(view, self._slots_of(rule))

    def _by_field(self, view: MapView, slots: I64) -> _Grouped:
        west, south, east, north = view.bbox
        lng, lat = self._lng[slots], self._lat[slots]
        across = (lng >= west) & (lng <= east) if west <= east else (lng >= west) | (lng <= east)
        slots = slots[across & (lat >= south) & (lat <= north)]
        if view.shape is not None and len(slots):
            slots = slots[shapely.intersects_xy(view.shape, self._lng[slots], self._lat[slots])]
        values = self._groups[view.group_type][slots] if self._groups else np.empty(0, object)
        known = np.array([v is not None for v in values.tolist()], dtype=bool)
        slots, values = slots[known], values[known]
        if not len(slots):
            return _Grouped(None, None, [], _EMPTY, np.zeros(1, np.int64))
        order = np.argsort(values.astype(str), kind="stable")
        slots, values = slots[order], values[order].astype(str)
        starts = np.flatnonzero(np.concatenate([[True], values[1:] != values[:-1]]))
        offsets = np.concatenate([starts, [len(slots)]]).astype(np.int64)
        return _Grouped(None, None, values[starts].tolist(), slots.astype(np.int64), offsets)

    def _entry(
        self,
        view: MapView,
        zone: uuid.UUID | None,
        group: _Grouped,
        parts: list[MetricTotals],
        largest: list[float],
    ) -> ZonePins:
        counts = np.diff(group.offsets)
        small = np.flatnonzero(counts < view.items_below).tolist()
        items: list[list[str] | None] = [None] * len(counts)
        members, offsets = group.members, group.offsets
        for i in small:
            items[i] = [self._id_texts[s] for s in members[offsets[i] : offsets[i + 1]].tolist()]
        return ZonePins(
            datazone_id=zone,
            lng=None if group.lng is None else group.lng.tolist(),
            lat=None if group.lat is None else group.lat.tolist(),
            fields=group.fields,
            counts=counts.tolist(),
            metrics=[
                MetricColumn(part.metric, _nulls(part.totals), percents(part, largest[m]))
                for m, part in enumerate(parts)
            ],
            items=items,
        )


def _nulls(values: F64) -> list[float | None]:
    return [None if v != v else v for v in values.tolist()]


def _industry_changed(old: MapPoint | None, new: MapPoint) -> bool:
    return old is None or old.industry_id != new.industry_id


def _inside(pins: Pins, shape: object) -> Pins:
    keep = shapely.intersects_xy(shape, pins.lng, pins.lat)
    counts = np.diff(pins.offsets)
    member_keep = np.repeat(keep, counts)
    kept_counts = counts[keep]
    return Pins(
        lng=pins.lng[keep],
        lat=pins.lat[keep],
        count=pins.count[keep],
        members=pins.members[member_keep],
        offsets=np.concatenate([[0], np.cumsum(kept_counts)]).astype(np.int64),
    )
