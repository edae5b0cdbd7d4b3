"""The live index against a model of its points: every zoom holds exactly the live points, moved
points are where they went, compaction equals a fresh ClusterIndex, and a compaction running while
a writer and a reader go on loses nothing."""

import random
import threading
from collections.abc import Callable

import numpy as np
import pytest

from heatmaps.domain import live_index
from heatmaps.domain.cluster_index import COUNT, LAT, LNG, ClusterIndex
from heatmaps.domain.live_index import LiveIndex, Pins

WORLD = (-180.0, -85.0, 180.0, 85.0)
ZOOMS = range(18)  # 17: beyond max_zoom, the points themselves

Model = dict[int, tuple[float, float]]


def somewhere(rnd: random.Random) -> tuple[float, float]:
    """Half in a few clumps (so that coarse zooms merge them), half anywhere."""
    if rnd.random() < 0.5:
        cx, cy = rnd.choice([(-70.0, 40.0), (10.0, 50.0), (120.0, -30.0), (179.5, 0.0)])
        return min(180.0, max(-180.0, rnd.gauss(cx, 0.5))), rnd.gauss(cy, 0.5)
    return rnd.uniform(-180, 180), rnd.uniform(-80, 80)


def loaded(n: int, seed: int, **policy: float) -> tuple[LiveIndex, Model]:
    rnd = random.Random(seed)
    slots = rnd.sample(range(3 * n), n)  # sparse and out of order, as a service's reused slots are
    model = {s: somewhere(rnd) for s in slots}
    index = LiveIndex(**policy)  # type: ignore[arg-type]
    index.load(
        np.array(slots), np.array([model[s][0] for s in slots]), np.array([model[s][1] for s in slots])
    )
    return index, model


def change(index: LiveIndex, model: Model, rnd: random.Random, times: int) -> None:
    """Random moves, removes (some of absent slots), new points and reused slots."""
    for _ in range(times):
        op = rnd.random()
        if op < 0.5 and model:
            slot = rnd.choice(list(model))
        elif op < 0.7:
            slot = rnd.randrange(4 * max(1, len(model)))
            index.remove(slot)
            model.pop(slot, None)
            continue
        else:
            slot = rnd.randrange(4 * max(1, len(model)) + 10)
        model[slot] = somewhere(rnd)
        index.put(slot, *model[slot])


def spans(pins: Pins) -> list[list[int]]:
    """Per row, its members."""
    return [pins.members[a:b].tolist() for a, b in zip(pins.offsets[:-1], pins.offsets[1:], strict=True)]


def rows(pins: Pins) -> list[tuple[int, float, float, tuple[int, ...]]]:
    members = [tuple(sorted(m)) for m in spans(pins)]
    return sorted(
        zip(pins.count.tolist(), pins.lng.tolist(), pins.lat.tolist(), members, strict=True),
        key=lambda r: (r[3], r[0]),
    )


def fresh(model: Model) -> ClusterIndex:
    slots = np.array(sorted(model), np.int64)
    lng = np.array([model[s][0] for s in slots.tolist()])
    lat = np.array([model[s][1] for s in slots.tolist()])
    return ClusterIndex(lng, lat, np.zeros(len(slots)), slots)


def assert_exactly_the_live_points(index: LiveIndex, model: Model) -> None:
    assert len(index) == len(model)
    for zoom in ZOOMS:
        pins = index.clusters(WORLD, zoom)
        assert pins.offsets[0] == 0
        assert np.array_equal(np.diff(pins.offsets), pins.count), zoom
        assert int(pins.count.sum()) == len(model), zoom
        assert sorted(pins.members.tolist()) == sorted(model), zoom
    # Beyond max_zoom every point is a row of its own, at its current position.
    points = index.clusters(WORLD, 17)
    assert {int(m): (x, y) for m, x, y in zip(points.members, points.lng, points.lat, strict=True)} == model


def test_random_changes_keep_every_zoom_exactly_the_live_points() -> None:
    index, model = loaded(1500, 1)
    rnd = random.Random(2)
    for _ in range(4):
        change(index, model, rnd, 300)
        assert_exactly_the_live_points(index, model)
    assert index.pending() > 0


def test_after_compaction_the_answer_is_a_fresh_index_over_the_points_in_slot_order() -> None:
    index, model = loaded(1200, 3)
    change(index, model, random.Random(4), 700)
    index.compact()
    assert index.pending() == 0
    expected = fresh(model)
    boxes = [WORLD, (-75.0, 35.0, -65.0, 45.0), (170.0, -10.0, -170.0, 10.0), (0.0, 0.0, 0.001, 0.001)]
    for bbox in boxes:
        for zoom in ZOOMS:
            got, want = index.clusters(bbox, zoom), expected.clusters(bbox, zoom)
            assert np.array_equal(got.lng, want[:, LNG])
            assert np.array_equal(got.lat, want[:, LAT])
            assert np.array_equal(got.count, want[:, COUNT].astype(np.int64)), (bbox, zoom)
            assert spans(got) == [expected.items(r).tolist() for r in want]


def test_a_moved_point_is_at_its_new_position_and_a_removed_one_nowhere() -> None:
    index, model = loaded(800, 5)
    moved, removed = sorted(model)[10], sorted(model)[20]
    old = model[moved]
    new = (old[0] + 3.0 if old[0] < 170 else old[0] - 3.0, max(-80.0, min(80.0, -old[1])))
    index.put(moved, *new)
    index.remove(removed)
    index.remove(removed)  # twice: nothing more

    def near(p: tuple[float, float]) -> tuple[float, float, float, float]:
        return (p[0] - 1e-4, p[1] - 1e-4, p[0] + 1e-4, p[1] + 1e-4)

    at_new, at_old = index.clusters(near(new), 16), index.clusters(near(old), 16)
    assert moved in at_new.members.tolist()
    assert (at_new.lng[at_new.count == 1].tolist(), at_new.lat[at_new.count == 1].tolist()) == (
        [new[0]],
        [new[1]],
    )
    assert moved not in at_old.members.tolist()
    for zoom in ZOOMS:
        assert removed not in index.clusters(WORLD, zoom).members.tolist()
    assert len(index) == 799


def cluster_of_three() -> LiveIndex:
    """0, 1, 2 are one cluster at zoom 0 (centre ~lng 10); 3 is far away."""
    index = LiveIndex()
    index.load(np.array([0, 1, 2, 3]), np.array([9.0, 10.0, 11.0, -100.0]), np.array([0.0, 0.0, 0.0, 40.0]))
    return index


def test_a_cluster_that_lost_members_keeps_its_position_and_exact_members() -> None:
    index = cluster_of_three()
    (count, lng, lat, members), far = rows(index.clusters(WORLD, 0))
    assert (count, members) == (3, (0, 1, 2))
    index.remove(2)
    assert rows(index.clusters(WORLD, 0)) == [(2, lng, lat, (0, 1)), far]


def test_a_cluster_left_with_one_member_is_that_point_and_with_none_disappears() -> None:
    index = cluster_of_three()
    index.remove(1)
    index.remove(2)
    assert rows(index.clusters(WORLD, 0)) == [(1, 9.0, 0.0, (0,)), (1, -100.0, 40.0, (3,))]
    # The cluster's centre (~10) lies in this box, its last point (9) does not.
    assert len(index.clusters((9.5, -10.0, 30.0, 10.0), 0)) == 0
    index.remove(0)
    assert rows(index.clusters(WORLD, 0)) == [(1, -100.0, 40.0, (3,))]


def test_a_box_across_the_antimeridian_is_its_two_parts() -> None:
    index, model = loaded(1000, 6)
    change(index, model, random.Random(7), 400)
    for zoom in (0, 3, 8, 16, 17):
        across = index.clusters((170.0, -40.0, -170.0, 40.0), zoom)
        east, west = (
            index.clusters((170.0, -40.0, 180.0, 40.0), zoom),
            index.clusters((-180.0, -40.0, -170.0, 40.0), zoom),
        )
        assert rows(across) == sorted(rows(east) + rows(west), key=lambda r: (r[3], r[0]))
    inside = {s for s, (x, y) in model.items() if (x >= 170 or x <= -170) and -40 <= y <= 40}
    assert set(across.members.tolist()) == inside
    assert len(inside) > 0


def test_an_empty_load_answers_nothing_then_takes_points() -> None:
    index = LiveIndex()
    index.load(np.array([], np.int64), np.array([]), np.array([]))
    assert len(index) == 0
    assert index.pending() == 0
    for zoom in ZOOMS:
        pins = index.clusters(WORLD, zoom)
        assert len(pins) == 0
        assert pins.offsets.tolist() == [0]
    index.put(7, 1.0, 2.0)
    assert rows(index.clusters(WORLD, 5)) == [(1, 1.0, 2.0, (7,))]
    index.compact()
    assert rows(index.clusters(WORLD, 5)) == [(1, 1.0, 2.0, (7,))]
    assert len(index) == 1


def test_compaction_is_needed_past_the_delta_size_or_the_age() -> None:
    index, _model = loaded(300, 8, compact_delta=5, compact_share=0.01)
    slots = list(_model)
    for slot in slots[:3]:
        index.put(slot, 1.0, 1.0)  # moves
    index.remove(slots[3])
    index.put(10_000, 2.0, 2.0)  # new
    assert (index.pending(), index.needs_compaction()) == (5, False)
    index.remove(slots[4])
    assert (index.pending(), index.needs_compaction()) == (6, True)
    index.put(slots[4], 3.0, 3.0)  # back: one change still
    index.remove(slots[0])  # moved, then removed: one change still
    assert (index.pending(), index.needs_compaction()) == (6, True)
    index.compact()
    assert (index.pending(), index.needs_compaction()) == (0, False)


def test_an_old_change_needs_compaction(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [100.0]

    class Clock:
        @staticmethod
        def monotonic() -> float:
            return now[0]

    monkeypatch.setattr(live_index, "time", Clock)
    index, model = loaded(50, 9, compact_age=30.0)
    index.put(next(iter(model)), 0.0, 0.0)
    now[0] += 30.0
    assert not index.needs_compaction()
    now[0] += 0.5
    assert index.needs_compaction()


def test_a_query_may_answer_from_a_recent_delta(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [100.0]

    class Clock:
        @staticmethod
        def monotonic() -> float:
            return now[0]

    monkeypatch.setattr(live_index, "time", Clock)
    index, model = loaded(50, 13, refresh_after=0.5)
    index.clusters(WORLD, 0)
    slot = next(iter(model))
    index.remove(slot)
    now[0] += 0.4
    # Still the answer of 0.4 s ago, whole: the removed point is there, once.
    assert sorted(index.clusters(WORLD, 0).members.tolist()) == sorted(model)
    now[0] += 0.2
    del model[slot]
    assert sorted(index.clusters(WORLD, 0).members.tolist()) == sorted(model)


def test_bad_input_is_refused() -> None:
    index = LiveIndex()
    with pytest.raises(ValueError, match="distinct"):
        index.load(np.array([1, 1]), np.zeros(2), np.zeros(2))
    with pytest.raises(ValueError, match="one length"):
        index.load(np.array([1, 2]), np.zeros(2), np.zeros(3))
    with pytest.raises(ValueError, match="non-negative"):
        index.put(-1, 0.0, 0.0)
    index.remove(12345)
    assert len(index) == 0


def test_a_compaction_racing_a_writer_and_a_reader_loses_nothing() -> None:
    index, model = loaded(20_000, 10, compact_delta=50)
    everyone = sorted(model)
    compactions, failures, done = [0], list[str](), threading.Event()

    def write() -> None:
        rnd = random.Random(11)
        while compactions[0] < 3 and not done.is_set():  # at least three compactions meanwhile
            slot = rnd.choice(everyone)
            if rnd.random() < 0.3:  # gone for a moment: the compaction's snapshot sees either
                index.remove(slot)
            model[slot] = somewhere(rnd)
            index.put(slot, *model[slot])

    def compact() -> None:
        while not done.is_set():
            index.compact()
            compactions[0] += 1

    def read() -> None:
        rnd = random.Random(12)
        while not done.is_set():
            pins = index.clusters(WORLD, rnd.randrange(18))
            # Moves, and removes put back at once: every answer, whatever it overlaps, holds every
            # point once but for at most the one removed at that moment.
            members = pins.members.tolist()
            if len(set(members)) != len(members) or not set(members) <= set(everyone):
                raise AssertionError("a point twice or one never put")
            if not len(everyone) - 1 <= len(members) == int(pins.count.sum()):
                raise AssertionError(f"{len(members)} members, {int(pins.count.sum())} counted")

    def run(job: Callable[[], None]) -> None:
        try:
            job()
        except Exception as error:  # reported by the test below
            failures.append(repr(error))
        finally:
            done.set()  # whichever ends first ends the others

    threads = [threading.Thread(target=run, args=(f,)) for f in (write, compact, read)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert compactions[0] >= 3
    assert_exactly_the_live_points(index, model)
    index.compact()
    got, want = index.clusters(WORLD, 9), fresh(model).clusters(WORLD, 9)
    assert np.array_equal(got.count, want[:, COUNT].astype(np.int64))
    assert np.array_equal(got.lng, want[:, LNG])
    assert np.array_equal(got.lat, want[:, LAT])


def test_a_small_index_needs_compaction_at_its_first_change() -> None:
    index = LiveIndex(compact_below=10)
    index.load(np.arange(3, dtype=np.int64), np.array([0.0, 1.0, 2.0]), np.array([0.0, 1.0, 2.0]))
    assert not index.needs_compaction()
    index.put(3, 3.0, 3.0)
    assert index.needs_compaction()
    index.compact()
    assert not index.needs_compaction()
