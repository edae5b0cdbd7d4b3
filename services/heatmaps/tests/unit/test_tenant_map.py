"""A tenant's points in memory (heatmaps.domain.tenant_map): what a query counts, for whom,
and how changes show."""

from __future__ import annotations

import uuid
from dataclasses import replace

import numpy as np
import shapely

from heatmaps.domain.cluster_index import ClusterOptions
from heatmaps.domain.map_points import MapPoint
from heatmaps.domain.map_view import MapView, ZonePins
from heatmaps.domain.pin_metrics import PinMetric
from heatmaps.domain.tenant_map import TenantMap
from proximity.access.datazones import DatazoneState, Geozone
from proximity.access.grants import EVERYWHERE
from proximity.access.territory import Territory

WORLD = (-180.0, -85.0, 180.0, 85.0)
FIELD = uuid.uuid4()
COUNT = PinMetric(None, "Total count", "number", "sum", None)
AREA = PinMetric(FIELD, "Area", "size", "sum", None)
# A geo zone around London (a box), another around Paris.
LONDON = DatazoneState(
    id=uuid.uuid4(), type="geo", is_dynamic=True,
    geozones=(Geozone(wkt="POLYGON((-1 51, 1 51, 1 52, -1 52, -1 51))"),),
)  # fmt: skip
PARIS = DatazoneState(
    id=uuid.uuid4(), type="geo", is_dynamic=True,
    geozones=(Geozone(wkt="POLYGON((2 48, 3 48, 3 49, 2 49, 2 48))"),),
)  # fmt: skip


def asset(
    lng: float | None, lat: float | None, *, version: int = 1, name: str = "site", **more: object
) -> MapPoint:
    fields: dict[str, object] = {"id": uuid.uuid4(), "kind": "asset", "version": version, "name": name,
                                 "lng": lng, "lat": lat, **more}  # fmt: skip
    return MapPoint(**fields)  # type: ignore[arg-type]


def view(**changes: object) -> MapView:
    base = MapView(
        zoom=0,
        bbox=WORLD,
        shape=None,
        group_type="cluster",
        kinds=frozenset({"asset", "entity"}),
        reach={"asset": EVERYWHERE, "entity": EVERYWHERE},
        metrics=(COUNT, AREA),
        items_below=5,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def counted(entry: ZonePins) -> int:
    return sum(pin.count for pin in entry.pins)


def items(entry: ZonePins) -> set[uuid.UUID]:
    return {uuid.UUID(item) for pin in entry.pins for item in (pin.items or [])}


def built(*points: MapPoint) -> TenantMap:
    tenant_map = TenantMap()
    tenant_map.stage(points)
    tenant_map.build()
    tenant_map.set_territory(Territory([LONDON, PARIS]))
    return tenant_map


def test_everything_the_tenant_has_is_counted_at_every_zoom_with_exact_sums() -> None:
    rng = np.random.default_rng(7)
    points = [
        asset(float(x), float(y))
        for x, y in zip(rng.uniform(-10, 10, 300), rng.uniform(40, 60, 300), strict=True)
    ]
    tenant_map = built(*points)
    for i, point in enumerate(points):
        tenant_map.apply_value(FIELD, point.id, point.id, float(i), 1)
    for zoom in range(17):
        [entry] = tenant_map.query(view(zoom=zoom))
        assert entry.datazone_id is None
        assert counted(entry) == 300
        assert sum(
            total for pin in entry.pins for metric, total, _ in pin.metrics if metric is AREA and total
        ) == sum(range(300))


def test_a_point_without_a_location_or_hidden_or_deleted_is_not_on_the_map() -> None:
    here = asset(0.5, 51.5)
    tenant_map = built(here, asset(None, None), asset(0.5, 51.5, on_map=False))
    [entry] = tenant_map.query(view(zoom=16))
    assert items(entry) == {here.id}


def test_a_caller_scoped_to_a_zone_counts_only_its_points() -> None:
    london, paris = asset(0.1, 51.5), asset(2.5, 48.5)
    tenant_map = built(london, paris, asset(10, 10))
    [entry] = tenant_map.query(view(zoom=0, reach={"asset": frozenset({LONDON.id}), "entity": EVERYWHERE}))
    assert counted(entry) == 1
    assert items(entry) == {london.id}
    [nothing] = tenant_map.query(view(reach={"asset": frozenset(), "entity": frozenset()}))
    assert nothing.pins == []


def test_datazones_give_an_entry_each_and_one_for_all_of_them_together() -> None:
    london, paris = asset(0.1, 51.5), asset(2.5, 48.5)
    tenant_map = built(london, paris, asset(10, 10))
    entries = tenant_map.query(view(zoom=16, datazones=(LONDON.id, PARIS.id)))
    assert [e.datazone_id for e in entries] == [LONDON.id, PARIS.id, None]
    assert [items(e) for e in entries] == [{london.id}, {paris.id}, {london.id, paris.id}]


def test_a_move_shows_at_once_and_a_late_older_state_changes_nothing() -> None:
    point = asset(0.1, 51.5, version=1)
    tenant_map = built(point, asset(20, 20))
    assert tenant_map.apply(replace(point, version=2, lng=2.5, lat=48.5))
    [entry] = tenant_map.query(view(zoom=16, bbox=(2, 48, 3, 49)))
    assert items(entry) == {point.id}
    assert not tenant_map.apply(replace(point, version=1))
    [old_place] = tenant_map.query(view(zoom=16, bbox=(-1, 51, 1, 52)))
    assert old_place.pins == []
    # and its datazone follows it
    [in_paris] = tenant_map.query(view(zoom=16, reach={"asset": frozenset({PARIS.id}), "entity": EVERYWHERE}))
    assert items(in_paris) == {point.id}


def test_a_deleted_point_leaves_and_its_slot_is_reused() -> None:
    gone, kept = asset(0.1, 51.5), asset(0.2, 51.6)
    tenant_map = built(gone, kept)
    tenant_map.apply(replace(gone, version=2, on_map=False))
    newcomer = asset(0.3, 51.7)
    tenant_map.apply(newcomer)
    [entry] = tenant_map.query(view(zoom=16))
    assert items(entry) == {kept.id, newcomer.id}
    assert len(tenant_map) == 2


def test_values_may_arrive_before_their_point_and_sum_over_objects() -> None:
    tenant_map = built()
    point = asset(0.1, 51.5)
    other = uuid.uuid4()
    tenant_map.apply_value(FIELD, point.id, point.id, 10.0, 1)
    tenant_map.apply_value(FIELD, point.id, other, 5.0, 1)
    tenant_map.apply(point)
    [entry] = tenant_map.query(view(zoom=16))
    assert [(m.label, total) for m, total, _ in entry.pins[0].metrics] == [
        ("Total count", 1.0),
        ("Area", 15.0),
    ]
    tenant_map.apply_value(FIELD, point.id, other, None, 2)
    assert not tenant_map.apply_value(FIELD, point.id, point.id, 99.0, 1)  # older
    [entry] = tenant_map.query(view(zoom=16))
    assert entry.pins[0].metrics[1][1] == 10.0


def test_grouping_by_address_counts_per_value_and_skips_points_without_it() -> None:
    tenant_map = built(
        asset(0.1, 51.5, country="UK"),
        asset(0.2, 51.6, country="UK"),
        asset(2.5, 48.5, country="FR"),
        asset(3, 3),
    )
    [entry] = tenant_map.query(view(group_type="country"))
    assert [(p.field, p.count, p.lat, p.lng) for p in entry.pins] == [
        ("FR", 1, None, None),
        ("UK", 2, None, None),
    ]


def test_a_bound_that_is_not_a_box_keeps_only_the_pins_inside_it() -> None:
    inside, outside = asset(0.5, 0.5), asset(9.0, 5.0)
    tenant_map = built(inside, outside)
    triangle = shapely.from_wkt("POLYGON((0 0, 10 0, 0 10, 0 0))")
    [entry] = tenant_map.query(view(zoom=16, bbox=(0, 0, 10, 10), shape=triangle))
    assert items(entry) == {inside.id}


def test_keywords_and_a_query_on_one_field_narrow_the_points() -> None:
    depot = asset(0.1, 51.5, name="North Depot", city="London", region="Greater London", country="UK")
    office = asset(0.2, 51.6, name="Office", city="Reading", region="Berkshire", country="UK")
    tenant_map = built(depot, office)
    [entry] = tenant_map.query(view(zoom=16, keywords=("depot",)))
    assert items(entry) == {depot.id}
    [entry] = tenant_map.query(view(zoom=16, query=("read", "city")))
    assert items(entry) == {office.id}
    [entry] = tenant_map.query(view(zoom=16, query=("read", "name")))
    assert entry.pins == []


def test_only_the_asked_types_count() -> None:
    entity = MapPoint(
        id=uuid.uuid4(), kind="entity", version=1, name="Acme", lng=0.1, lat=51.5, entity_id=None
    )
    site = asset(0.2, 51.6)
    tenant_map = built(entity, site)
    [entry] = tenant_map.query(view(zoom=16, kinds=frozenset({"entity"})))
    assert items(entry) == {entity.id}


def test_an_assets_industry_comes_from_its_entity_for_commercial_zones() -> None:
    industry = uuid.uuid4()
    zone = DatazoneState(
        id=uuid.uuid4(), type="commercial", is_dynamic=True, industry_ids=frozenset({industry})
    )
    entity_id = uuid.uuid4()
    site = asset(5, 5, entity_id=entity_id)
    tenant_map = built(site)
    tenant_map.set_territory(Territory([zone]))
    scoped = view(zoom=16, reach={"asset": frozenset({zone.id}), "entity": frozenset({zone.id})})
    assert tenant_map.query(scoped)[0].pins == []
    tenant_map.apply(
        MapPoint(
            id=entity_id, kind="entity", version=1, name="Acme", entity_id=entity_id, industry_id=industry
        )
    )
    assert items(tenant_map.query(scoped)[0]) == {site.id}


def test_tuning_parameters_cluster_differently() -> None:
    points = [asset(0.0 + i * 0.01, 51.5) for i in range(10)]
    tenant_map = built(*points)
    [default] = tenant_map.query(view(zoom=10))
    [tight] = tenant_map.query(view(zoom=10, options=ClusterOptions(radius=1)))
    assert len(tight.pins) > len(default.pins)
    assert counted(tight) == counted(default) == 10


def test_a_pin_of_many_points_lists_no_items() -> None:
    tenant_map = built(*[asset(0.0, 51.5) for _ in range(6)])
    [entry] = tenant_map.query(view(zoom=0))
    assert [(p.count, p.items) for p in entry.pins] == [(6, None)]
    [entry] = tenant_map.query(view(zoom=0, items_below=7))
    assert len(entry.pins[0].items or []) == 6


def test_a_subset_once_built_follows_every_change_without_a_rebuild() -> None:
    inside, outside = asset(0.1, 51.5), asset(2.5, 48.5)
    tenant_map = built(inside, outside)
    scoped = view(zoom=16, reach={"asset": frozenset({LONDON.id}), "entity": EVERYWHERE})
    builds = tenant_map.builds_for(scoped)
    assert len(builds) == 1
    builds[0].run()  # what a worker thread does
    tenant_map.adopt(builds)
    assert tenant_map.builds_for(scoped) == []
    assert items(tenant_map.query(scoped)[0]) == {inside.id}
    # The outside point moves into London, the inside one leaves it, a newcomer arrives there.
    tenant_map.apply(replace(outside, version=2, lng=0.2, lat=51.6))
    tenant_map.apply(replace(inside, version=2, lng=2.5, lat=48.5))
    newcomer = asset(0.3, 51.7)
    tenant_map.apply(newcomer)
    assert tenant_map.builds_for(scoped) == []
    assert items(tenant_map.query(scoped)[0]) == {outside.id, newcomer.id}
    tenant_map.apply(replace(newcomer, version=2, on_map=False))
    assert items(tenant_map.query(scoped)[0]) == {outside.id}


def test_a_change_while_a_subset_is_built_is_not_lost() -> None:
    point = asset(0.1, 51.5)
    tenant_map = built(point)
    scoped = view(zoom=16, keywords=("site",))
    [build] = tenant_map.builds_for(scoped)
    moved = replace(point, version=2, lng=2.5, lat=48.5)
    tenant_map.apply(moved)  # after the copy, before the build is adopted
    build.run()
    tenant_map.adopt([build])
    [entry] = tenant_map.query(view(zoom=16, bbox=(2, 48, 3, 49), keywords=("site",)))
    assert items(entry) == {point.id}


def test_new_datazones_void_the_subsets() -> None:
    point = asset(2.5, 48.5)
    tenant_map = built(point)
    scoped = view(zoom=16, reach={"asset": frozenset({LONDON.id}), "entity": EVERYWHERE})
    assert tenant_map.query(scoped)[0].pins == []
    wider = LONDON.model_copy(
        update={"geozones": (Geozone(wkt="POLYGON((-1 48, 3 48, 3 52, -1 52, -1 48))"),)}
    )
    tenant_map.set_territory(Territory([wider, PARIS]))
    assert items(tenant_map.query(scoped)[0]) == {point.id}


def test_a_point_added_near_an_old_one_joins_its_cluster_once_the_small_map_is_compacted() -> None:
    old = asset(0.10, 51.50)
    tenant_map = built(old)
    newcomer = asset(0.11, 51.51)
    tenant_map.apply(newcomer)
    # Before compaction the newcomer is a pin of the delta beside the base's pin.
    assert [p.count for p in tenant_map.query(view(zoom=3))[0].pins] == [1, 1]
    assert tenant_map.indexes_due() == [tenant_map.live]
    tenant_map.live.compact()  # what the feed does, in a worker thread
    assert [p.count for p in tenant_map.query(view(zoom=3))[0].pins] == [2]
