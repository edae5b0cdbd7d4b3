"""``PUT /datazones/{id}/geozones``: which given geozones keep their id, which get a new one and
which of the zone's are deleted."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from iam.domain.geozones import plan_geozones


def _new_ids() -> tuple[list[uuid.UUID], Callable[[], uuid.UUID]]:
    made: list[uuid.UUID] = []

    def new_id() -> uuid.UUID:
        made.append(uuid.uuid4())
        return made[-1]

    return made, new_id


def test_null_creates_existing_updates_omitted_deletes() -> None:
    kept, dropped = uuid.uuid4(), uuid.uuid4()
    made, new_id = _new_ids()
    plan = plan_geozones({kept, dropped}, [None, kept], new_id)
    assert plan.ids == (made[0], kept)
    assert plan.kept == {kept}
    assert plan.deleted == {dropped}


def test_an_unknown_or_foreign_id_is_replaced() -> None:
    ours, foreign = uuid.uuid4(), uuid.uuid4()
    plan = plan_geozones({ours}, [foreign])
    assert plan.ids[0] not in (ours, foreign)
    assert plan.deleted == {ours}


def test_an_id_given_twice_is_kept_once() -> None:
    ours = uuid.uuid4()
    plan = plan_geozones({ours}, [ours, ours])
    assert plan.ids[0] == ours
    assert plan.ids[1] != ours
    assert plan.kept == {ours}
    assert not plan.deleted


def test_an_empty_set_deletes_everything() -> None:
    a, b = uuid.uuid4(), uuid.uuid4()
    plan = plan_geozones([a, b], [])
    assert plan.ids == ()
    assert plan.deleted == {a, b}
