"""The datazone rules that hold whatever is stored: type kept, commercial without geo
information, geo without industries, assign/unassign on one list."""

from __future__ import annotations

import uuid

import pytest

from iam.domain.datazone_errors import AttemptSaveGeoOnIncorrectType, AttemptTypeChange
from iam.domain.datazones import assigned, check_contents, check_takes_geozones, check_type_kept, unique_ids
from proximity.errors import ValidationFailed


def test_a_commercial_zone_takes_no_addresses() -> None:
    with pytest.raises(ValidationFailed, match="commercial datazone cannot contain addresses"):
        check_contents("commercial", [{"country": "gb"}], [])
    check_contents("commercial", [], [uuid.uuid4()])


def test_a_geo_zone_takes_no_industries() -> None:
    with pytest.raises(ValidationFailed, match="geo datazone cannot contain industries"):
        check_contents("geo", [], [uuid.uuid4()])
    check_contents("geo", [{"country": "gb"}], [])


def test_the_type_never_changes() -> None:
    check_type_kept("geo", "geo")
    with pytest.raises(AttemptTypeChange):
        check_type_kept("geo", "commercial")


def test_only_a_geo_zone_takes_geozones() -> None:
    check_takes_geozones("geo")
    with pytest.raises(AttemptSaveGeoOnIncorrectType):
        check_takes_geozones("commercial")


def test_ids_keep_their_first_place() -> None:
    a, b = uuid.uuid4(), uuid.uuid4()
    assert unique_ids([a, b, a]) == [a, b]


def test_assign_appends_and_unassign_removes() -> None:
    a, b, c = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    assert assigned([a, b], c, None) == [a, b, c]
    assert assigned([a, b], a, None) == [a, b]
    assert assigned([a, b], None, a) == [b]
    assert assigned([a], c, c) == [a]  # both: ends without it
    assert assigned([a], None, None) == [a]
