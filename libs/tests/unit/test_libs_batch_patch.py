"""The per-row parsing of a batch PATCH: a bad row becomes its own failure, in the seed's shape."""

from __future__ import annotations

import uuid

from proximity.batch_patch import BatchRow, parse_row, row_failure
from proximity.errors import ValidationFailed


class Rename(BatchRow):
    name: str


def test_a_good_row_is_parsed() -> None:
    row_id = uuid.uuid4()
    parsed = parse_row(Rename, {"id": str(row_id), "name": "Hall A"})
    assert isinstance(parsed, Rename)
    assert (parsed.id, parsed.name) == (row_id, "Hall A")


def test_a_bad_row_names_its_id_and_the_field_at_fault() -> None:
    failure = parse_row(Rename, {"id": "not-a-uuid", "name": "Hall A"})
    assert failure == {"id": "not-a-uuid", "code": "eValidationError", "msg": failure["msg"]}
    assert isinstance(failure, dict)
    assert failure["msg"].startswith("id: ")


def test_a_row_that_is_not_an_object_has_no_id() -> None:
    failure = parse_row(Rename, ["id"])
    assert isinstance(failure, dict)
    assert failure["id"] is None


def test_a_failure_carries_the_errors_code_and_message() -> None:
    assert row_failure(None, ValidationFailed("name: too long")) == {
        "id": None,
        "code": "eValidationError",
        "msg": "name: too long",
    }
