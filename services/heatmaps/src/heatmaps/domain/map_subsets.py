"""The narrower maps of one tenant: a clustered index per rule (what a scoped or filtered query
may count), built once and then kept current like the tenant's own.

A rule names the points it admits (kinds, where the caller may view each, text filters, the
datazones of one answer entry) and the tuning it clusters with. Its first build runs on copies
of the points' coordinates (``SubsetBuild.run``, pure numpy and C: safe in a worker thread), so a
large subset never holds up the caller's event loop. After that every stored point is written to
a journal; a subset replays what it has not seen before it answers (a put when its rule admits
the point, else a remove), so no later change forces a rebuild. A subset that falls too far
behind, or a change of the tenant's datazones (which moves points between rules wholesale),
drops subsets; they are built again when next asked for.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from heatmaps.domain.cluster_index import ClusterOptions
from heatmaps.domain.live_index import LiveIndex

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

CACHED_SUBSETS = 8
# An index of at most this many points is compacted at its first change (a build of ~50 ms):
# its clusters are then exactly supercluster's within a feed pass, not only after a compaction.
SMALL_INDEX = 20_000
# Changes a cached subset may lag behind before it is dropped rather than replayed.
MAX_JOURNAL = 200_000


@dataclass(frozen=True, slots=True)
class SubsetRule:
    kinds: frozenset[int]  # kind codes
    # Per kind code, the datazones its points must lie in one of (None: anywhere).
    reach: tuple[tuple[int, frozenset[uuid.UUID] | None], ...]
    words: tuple[str, ...]  # each must occur in the point's search text
    query: tuple[str, str] | None  # (text, target)
    zones: frozenset[uuid.UUID] | None  # the answer entry's datazones (None: any)
    options: ClusterOptions


@dataclass(eq=False)
class SubsetBuild:
    """A subset's first build: its points' slots and coordinates copied when it was asked for."""

    rule: SubsetRule
    slots: I64
    lng: F64
    lat: F64
    journal_at: int
    index: LiveIndex | None = None

    def run(self) -> None:
        index = LiveIndex(self.rule.options, compact_below=SMALL_INDEX)
        index.load(self.slots, self.lng, self.lat)
        self.index = index


@dataclass(eq=False)
class _Subset:
    index: LiveIndex
    synced: int  # the journal position it has applied up to


@dataclass
class Subsets:
    """The cache of one tenant's subsets and the journal that keeps them current."""

    _cached: OrderedDict[SubsetRule, _Subset] = field(default_factory=OrderedDict)
    _journal: list[int] = field(default_factory=list)
    _journal_start: int = 0  # absolute position of _journal[0]
    _building: list[int] = field(default_factory=list)  # where each build in flight started

    @property
    def position(self) -> int:
        return self._journal_start + len(self._journal)

    def changed(self, slot: int) -> None:
        if self._cached or self._building:
            self._journal.append(slot)
            if len(self._journal) > MAX_JOURNAL:
                self._trim()

    def begin(self) -> int:
        """A build starts: the journal keeps what changes meanwhile; its starting position."""
        self._building.append(self.position)
        return self.position

    def forget(self) -> None:
        """Every subset and build in flight is void (the tenant's datazones changed)."""
        self._cached.clear()
        self._building.clear()
        self._journal.clear()
        self._journal_start = self.position

    def cached(self, rule: SubsetRule) -> bool:
        return rule in self._cached

    def adopt(self, build: SubsetBuild) -> None:
        assert build.index is not None, "run() the build first"
        if build.journal_at in self._building:
            self._building.remove(build.journal_at)
        if build.journal_at < self._journal_start:
            return  # its starting point was dropped (datazones changed): built again next time
        self._cached[build.rule] = _Subset(build.index, build.journal_at)
        self._cached.move_to_end(build.rule)
        while len(self._cached) > CACHED_SUBSETS:
            self._cached.popitem(last=False)

    def current(
        self, rule: SubsetRule, admits: Callable[[SubsetRule, int], tuple[float, float] | None]
    ) -> LiveIndex | None:
        """The rule's index with every change applied (``admits``: the point's coordinates if
        the rule admits the slot now, else None); None when not cached."""
        subset = self._cached.get(rule)
        if subset is None:
            return None
        self._cached.move_to_end(rule)
        for slot in self._journal[subset.synced - self._journal_start :]:
            where = admits(rule, slot)
            if where is None:
                subset.index.remove(slot)
            else:
                subset.index.put(slot, *where)
        subset.synced = self.position
        self._trim()
        return subset.index

    def indexes(self) -> list[LiveIndex]:
        return [subset.index for subset in self._cached.values()]

    def _trim(self) -> None:
        if self._building and self.position - min(self._building) > MAX_JOURNAL:
            self._building.clear()  # builds that never came back (a failed worker)
        lagging = [rule for rule, s in self._cached.items() if self.position - s.synced > MAX_JOURNAL]
        for rule in lagging:
            del self._cached[rule]
        oldest = min([s.synced for s in self._cached.values()] + self._building, default=self.position)
        drop = oldest - self._journal_start
        if drop > 0:
            del self._journal[:drop]
            self._journal_start = oldest
