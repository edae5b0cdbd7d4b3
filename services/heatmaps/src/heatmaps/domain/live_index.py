"""The clustering engine kept current: points put, moved and removed one by one, answered at once.

A base `ClusterIndex` over a snapshot of the points plus a delta (like an LSM tree): the delta is
a small `ClusterIndex` over the points put since the snapshot, rebuilt by the first query after a
change; a base entry whose point moved or went since the snapshot is masked out of its rows.
`compact()` builds a new base from all current points (in slot order, so that the answer then
equals a fresh `ClusterIndex` over them) while puts and queries go on, and swaps it in under a
short lock; changes made during the build are replayed into the new delta.

Consistency: every change takes the next version number, a base entry records the version that
superseded it, and a query reads one view (base, delta, version): the base entries current at that
version and the delta built at it, so a point is never counted twice nor missed, even while the
writer goes on. Threads: one writer (put / remove / load), any number of readers, one compactor.
"""

import threading
import time
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from heatmaps.domain.cluster_index import COUNT, LAT, LNG, START, BBox, ClusterIndex, ClusterOptions

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]

NEVER = np.iinfo(np.int64).max  # the version that supersedes a base entry still current


@dataclass(frozen=True, slots=True)
class Pins:
    """One row per cluster or lone point whose position is in the bbox: row i holds the slots
    `members[offsets[i] : offsets[i + 1]]`."""

    lng: F64
    lat: F64
    count: I64
    members: I64
    offsets: I64

    def __len__(self) -> int:
        return int(self.lng.shape[0])


@dataclass(frozen=True, slots=True)
class _Base:
    index: ClusterIndex
    slots: I64  # the snapshot, in slot order, with its coordinates
    lng: F64
    lat: F64
    position: I64  # per slot (up to the largest in the snapshot) its depth-first position, or -1
    superseded: I64  # per depth-first position: the version that moved or removed it, or NEVER

    @classmethod
    def build(cls, slots: I64, lng: F64, lat: F64, options: ClusterOptions) -> "_Base":
        index = ClusterIndex(lng, lat, np.zeros(lng.shape[0]), slots, options)
        position = np.full(int(slots[-1]) + 1 if slots.shape[0] else 0, -1, np.int64)
        position[index.ids] = np.arange(slots.shape[0])
        return cls(index, slots, lng, lat, position, np.full(slots.shape[0], NEVER, np.int64))

    def position_of(self, slot: int) -> int:
        return int(self.position[slot]) if slot < self.position.shape[0] else -1


class _Delta:
    """The points put since the base's snapshot: per slot a row of three arrays that grow."""

    def __init__(self, slots: I64, lng: F64, lat: F64) -> None:
        n = slots.shape[0]
        self._row = dict(zip(slots.tolist(), range(n), strict=True))
        self._slots = np.empty(2 * n + 16, np.int64)
        self._lng, self._lat = np.empty(2 * n + 16), np.empty(2 * n + 16)
        self._slots[:n], self._lng[:n], self._lat[:n] = slots, lng, lat

    def __len__(self) -> int:
        return len(self._row)

    def __contains__(self, slot: int) -> bool:
        return slot in self._row

    def put(self, slot: int, lng: float, lat: float) -> None:
        row = self._row.setdefault(slot, len(self._row))
        if row == self._slots.shape[0]:
            self._slots = np.concatenate([self._slots, self._slots])
            self._lng, self._lat = (
                np.concatenate([self._lng, self._lng]),
                np.concatenate([self._lat, self._lat]),
            )
        self._slots[row], self._lng[row], self._lat[row] = slot, lng, lat

    def remove(self, slot: int) -> None:
        row = self._row.pop(slot, None)
        last = len(self._row)
        if row is not None and row != last:  # the last row takes its place
            self._row[int(self._slots[last])] = row
            self._slots[row], self._lng[row], self._lat[row] = (
                self._slots[last],
                self._lng[last],
                self._lat[last],
            )

    def copy(self) -> tuple[I64, F64, F64]:
        n = len(self._row)
        return self._slots[:n].copy(), self._lng[:n].copy(), self._lat[:n].copy()


@dataclass(frozen=True, slots=True)
class _View:
    base: _Base
    delta: ClusterIndex
    version: int
    built: float  # time.monotonic()


def _index(slots: I64, lng: F64, lat: F64, options: ClusterOptions) -> ClusterIndex:
    # Values stay with the caller, which sums its own arrays over a pin's members.
    return ClusterIndex(lng, lat, np.zeros(lng.shape[0]), slots, options)


class LiveIndex:
    """Clusters of points kept current under put / remove; see the module docstring.

    Counts and members are always exact. Positions are exact for the delta's rows and for base
    rows that lost no member; a base cluster that lost members keeps its position (stale until
    the next compaction), one left with a single member becomes that point at its own coordinates,
    and one left with none disappears.

    Policy: `needs_compaction()` once the changes outgrow max(compact_delta, compact_share of the
    points) or the oldest waits compact_age seconds. A query after a change rebuilds the delta
    (~5 us a point) unless the last one is younger than refresh_after seconds: 0 answers every
    change at once; more bounds the rebuilds to one per refresh_after under a stream of changes,
    each answer then exact as of a moment at most that old.
    """

    def __init__(
        self,
        options: ClusterOptions | None = None,
        *,
        compact_delta: int = 1000,
        compact_share: float = 0.01,
        compact_age: float = 60.0,
        refresh_after: float = 0.0,
        compact_below: int = 0,
    ) -> None:
        self.options = options or ClusterOptions()
        self._compact_delta, self._compact_share = compact_delta, compact_share
        self._compact_age, self._refresh_after = compact_age, refresh_after
        self._compact_below = compact_below
        self._lock = threading.Lock()  # the writer's state, and taking a view
        self._delta_lock = threading.Lock()  # one delta build at a time
        self._compact_lock = threading.Lock()  # one base build at a time
        self._version = 0
        none = np.empty(0, np.int64)
        self._reset(none, np.empty(0), np.empty(0), _Base.build(none, np.empty(0), np.empty(0), self.options))

    def _reset(self, slots: I64, lng: F64, lat: F64, base: _Base) -> None:
        size = int(slots[-1]) + 1 if slots.shape[0] else 0
        self._lng, self._lat, self._alive = np.zeros(size), np.zeros(size), np.zeros(size, np.bool_)
        self._lng[slots], self._lat[slots], self._alive[slots] = lng, lat, True
        self._count = int(slots.shape[0])
        self._base = base
        self._delta = _Delta(np.empty(0, np.int64), np.empty(0), np.empty(0))
        self._gone = 0  # base entries removed and not put again
        self._journal: list[int] | None = None  # slots changed while a compaction builds
        self._first_change: float | None = None
        self._version += 1
        self._view = _View(base, _index(*self._delta.copy(), self.options), self._version, time.monotonic())

    def load(self, slots: I64, lng: F64, lat: F64) -> None:
        """Replaces every point and builds the base over them."""
        slots = np.asarray(slots, np.int64)
        lng, lat = np.asarray(lng, np.float64), np.asarray(lat, np.float64)
        if not slots.shape == lng.shape == lat.shape or slots.ndim != 1:
            raise ValueError("slots, lng and lat must be 1-d arrays of one length")
        order = np.argsort(slots, kind="stable")
        slots, lng, lat = slots[order], lng[order], lat[order]
        if slots.shape[0] and (slots[0] < 0 or np.any(slots[1:] == slots[:-1])):
            raise ValueError("slots must be distinct non-negative integers")
        with self._compact_lock:
            base = _Base.build(slots, lng, lat, self.options)
            with self._lock:
                self._reset(slots, lng, lat, base)

    def put(self, slot: int, lng: float, lat: float) -> None:
        """Adds the point of `slot`, or moves it."""
        if slot < 0:
            raise ValueError("slots are non-negative")
        with self._lock:
            self._grow(slot)
            self._version += 1
            base = self._base
            at = base.position_of(slot)
            if at >= 0:
                if base.superseded[at] == NEVER:
                    base.superseded[at] = self._version
                elif slot not in self._delta:  # removed, and back
                    self._gone -= 1
            if not self._alive[slot]:
                self._alive[slot] = True
                self._count += 1
            self._lng[slot], self._lat[slot] = lng, lat
            self._delta.put(slot, lng, lat)
            self._changed(slot)

    def remove(self, slot: int) -> None:
        """Removes the point of `slot`; nothing if it has none."""
        with self._lock:
            if not 0 <= slot < self._alive.shape[0] or not self._alive[slot]:
                return
            self._version += 1
            self._alive[slot] = False
            self._count -= 1
            base = self._base
            at = base.position_of(slot)
            if at >= 0:
                if base.superseded[at] == NEVER:
                    base.superseded[at] = self._version
                self._gone += 1
            self._delta.remove(slot)
            self._changed(slot)

    def _grow(self, slot: int) -> None:
        size = self._alive.shape[0]
        if slot >= size:
            more = max(slot + 1, 2 * size, 1024) - size
            self._lng = np.concatenate([self._lng, np.zeros(more)])
            self._lat = np.concatenate([self._lat, np.zeros(more)])
            self._alive = np.concatenate([self._alive, np.zeros(more, np.bool_)])

    def _changed(self, slot: int) -> None:
        if self._journal is not None:
            self._journal.append(slot)
        if self._first_change is None:
            self._first_change = time.monotonic()

    def __len__(self) -> int:
        return self._count

    def pending(self) -> int:
        """Changes a compaction would fold in: points in the delta plus base points removed."""
        return len(self._delta) + self._gone

    def needs_compaction(self) -> bool:
        """Whether there is any change and at most compact_below points, or the changes outgrew
        max(compact_delta, compact_share of the points), or the oldest waits longer than
        compact_age seconds (until then a point put since the base does not merge with the
        base's clusters, and clusters that lost members keep their positions); the caller then
        runs compact(), in a thread of its own."""
        pending, first = self.pending(), self._first_change
        if pending and self._count <= self._compact_below:
            return True  # a small index rebuilds in milliseconds: its clusters are exact at once
        if pending > max(self._compact_delta, self._compact_share * self._count):
            return True
        return pending > 0 and first is not None and time.monotonic() - first > self._compact_age

    def compact(self) -> None:
        """Builds a new base from the current points and swaps it in; puts and queries go on."""
        with self._compact_lock:
            with self._lock:
                self._journal = []
                # A copy: np.flatnonzero over an array that changes meanwhile answers garbage.
                alive, lng, lat = self._alive.copy(), self._lng, self._lat
            # Coordinates read without the lock: a slot the writer touches from here on is in the
            # journal, and the journal overrides whatever this read saw of it.
            slots = np.flatnonzero(alive).astype(np.int64)
            base = _Base.build(slots, lng[slots], lat[slots], self.options)
            with self._lock:
                self._swap(base, np.unique(np.array(self._journal, np.int64)))

    def _swap(self, base: _Base, changed: I64) -> None:
        # The snapshot's entries of changed slots may be stale: superseded from the start, and
        # the slots' current points make the new delta.
        in_snapshot = changed[changed < base.position.shape[0]]
        at = base.position[in_snapshot]
        base.superseded[at[at >= 0]] = 0
        live = changed[self._alive[changed]]
        self._delta = _Delta(live, self._lng[live], self._lat[live])
        self._gone = int(np.count_nonzero(~self._alive[in_snapshot[at >= 0]]))
        self._journal = None
        self._first_change = time.monotonic() if changed.shape[0] else None
        self._base = base
        self._version += 1

    def clusters(self, bbox: BBox, zoom: float) -> Pins:
        """The pins in bbox (west, south, east, north; across the antimeridian when west > east)
        at zoom: the base's rows restricted to their current members, then the delta's rows."""
        view = self._current_view()
        base = _base_pins(view.base, view.version, bbox, zoom)
        delta = view.delta
        rows = delta.clusters(bbox, zoom)
        counts = rows[:, COUNT].astype(np.int64)
        positions, offsets = _slices(rows[:, START].astype(np.int64), counts)
        return Pins(
            np.concatenate([base.lng, rows[:, LNG]]),
            np.concatenate([base.lat, rows[:, LAT]]),
            np.concatenate([base.count, counts]),
            np.concatenate([base.members, delta.ids[positions]]),
            np.concatenate([base.offsets, offsets[1:] + base.offsets[-1]]),
        )

    def _current_view(self) -> _View:
        view = self._view
        if view.version == self._version or time.monotonic() - view.built < self._refresh_after:
            return view
        with self._delta_lock:
            with self._lock:
                if self._view.version == self._version:
                    return self._view
                points, version, base = self._delta.copy(), self._version, self._base
            # Built outside the lock: the writer goes on; this view answers as of `version`.
            self._view = view = _View(base, _index(*points, self.options), version, time.monotonic())
            return view


def _slices(starts: I64, counts: I64) -> tuple[I64, I64]:
    """The depth-first positions of all rows' members, concatenated, and where each row's begin."""
    offsets = np.zeros(counts.shape[0] + 1, np.int64)
    np.cumsum(counts, out=offsets[1:])
    positions = np.arange(offsets[-1], dtype=np.int64)
    positions += np.repeat(starts - offsets[:-1], counts)
    return positions, offsets


def _base_pins(base: _Base, version: int, bbox: BBox, zoom: float) -> Pins:
    rows = base.index.clusters(bbox, zoom)
    counts = rows[:, COUNT].astype(np.int64)
    positions, offsets = _slices(rows[:, START].astype(np.int64), counts)
    current = base.superseded[positions] > version
    if current.all():
        return Pins(rows[:, LNG].copy(), rows[:, LAT].copy(), counts, base.index.ids[positions], offsets)
    members = base.index.ids[positions[current]]
    lost = np.searchsorted(offsets, np.flatnonzero(~current), side="right") - 1
    kept = counts - np.bincount(lost, minlength=counts.shape[0])
    lng, lat = rows[:, LNG].copy(), rows[:, LAT].copy()
    offsets = np.zeros_like(offsets)
    np.cumsum(kept, out=offsets[1:])
    # A cluster left with one member is that point, at its own coordinates (if still in bbox).
    lone = np.flatnonzero((kept == 1) & (counts > 1))
    if lone.shape[0]:
        at = np.searchsorted(base.slots, members[offsets[lone]])
        lng[lone], lat[lone] = base.lng[at], base.lat[at]
        kept[lone[~_in_bbox(lng[lone], lat[lone], bbox)]] = 0
        members = members[np.repeat(kept > 0, np.diff(offsets))]
        np.cumsum(kept, out=offsets[1:])
    shown = kept > 0
    return Pins(lng[shown], lat[shown], kept[shown], members, np.concatenate([[0], offsets[1:][shown]]))


def _in_bbox(lng: F64, lat: F64, bbox: BBox) -> Mask:
    """Which points lie in bbox, by the very test a query applies (float32 projected positions)."""
    n = lng.shape[0]
    points = ClusterIndex(lng, lat, np.zeros(n), np.arange(n), ClusterOptions(min_zoom=0, max_zoom=0))
    inside = np.zeros(n, np.bool_)
    inside[points.ids[points.clusters(bbox, 1)[:, START].astype(np.int64)]] = True
    return inside
