"""The event envelope: a contract between services, so its JSON form must round-trip exactly."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import orjson
import pytest

from proximity.events.envelope import SCHEMA_VERSION, Event, MalformedEvent


def test_round_trip_keeps_every_field() -> None:
    event = Event(
        type="assets.asset.updated",
        aggregate_id="a-1",
        data={"name": "Tower", "nested": {"floors": [1, 2]}, "unicode": "Zürich"},
        tenant_id=uuid.uuid4(),
        version=7,
        occurred_at=datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=UTC),
    )

    again = Event.from_json(event.to_json())

    assert again == event
    assert again.subject == "assets.asset.updated"


def test_json_form_is_the_documented_envelope() -> None:
    tenant = uuid.uuid4()
    event = Event(type="identity.user.created", aggregate_id="u", data={"x": 1}, tenant_id=tenant)

    body = orjson.loads(event.to_json())

    assert set(body) == {
        "id",
        "type",
        "schema",
        "tenant_id",
        "aggregate_id",
        "version",
        "occurred_at",
        "data",
    }
    assert body["id"] == str(event.id)
    assert body["tenant_id"] == str(tenant)
    assert body["schema"] == SCHEMA_VERSION
    assert datetime.fromisoformat(body["occurred_at"]).tzinfo is not None


def test_round_trip_without_tenant() -> None:
    event = Event(type="identity.tenant.created", aggregate_id="t", data={})

    again = Event.from_json(event.to_json())

    assert again.tenant_id is None
    assert again == event


def test_each_event_gets_its_own_id() -> None:
    first = Event(type="a.b.c", aggregate_id="1", data={})
    second = Event(type="a.b.c", aggregate_id="1", data={})

    assert first.id != second.id


def test_consumers_tolerate_unknown_fields() -> None:
    body = orjson.loads(Event(type="a.b.c", aggregate_id="1", data={"k": "v"}).to_json())
    body["added_later"] = {"anything": True}

    event = Event.from_json(orjson.dumps(body))

    assert event.data == {"k": "v"}


@pytest.mark.parametrize(
    "name", ["", "assets", "assets.asset", "assets..updated", ".asset.updated", "a.b.c.d", "assets.asset."]
)
def test_type_must_be_context_aggregate_verb(name: str) -> None:
    with pytest.raises(ValueError, match=r"not <context>\.<aggregate>\.<verb>"):
        Event(type=name, aggregate_id="1", data={})


def _valid() -> dict[str, object]:
    return orjson.loads(Event(type="a.b.c", aggregate_id="1", data={}).to_json())  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"not json",
        b"[1, 2, 3]",
        b'"a string"',
        b"{}",
        orjson.dumps({**_valid(), "id": "not-a-uuid"}),
        orjson.dumps({**_valid(), "id": 42}),
        orjson.dumps({**_valid(), "type": "two.parts"}),
        orjson.dumps({**_valid(), "tenant_id": "nope"}),
        orjson.dumps({**_valid(), "occurred_at": "yesterday"}),
        orjson.dumps({**_valid(), "occurred_at": 12}),
        orjson.dumps({**_valid(), "version": "seven"}),
        orjson.dumps({k: v for k, v in _valid().items() if k != "aggregate_id"}),
    ],
)
def test_garbage_is_a_malformed_event(raw: bytes) -> None:
    with pytest.raises(MalformedEvent):
        Event.from_json(raw)


def _with_schema(schema: object) -> bytes:
    body = orjson.loads(Event(type="iam.permissions.updated", aggregate_id="u", data={}).to_json())
    body["schema"] = schema
    return orjson.dumps(body)


@pytest.mark.parametrize(("schema", "major"), [(1, 1), (2, 2), ("1", 1), ("2.3", 2)])
def test_the_contract_major_is_read_from_schema(schema: object, major: int) -> None:
    assert Event.from_json(_with_schema(schema)).schema == major


def test_an_envelope_without_schema_is_the_first_contract() -> None:
    body = orjson.loads(Event(type="iam.permissions.updated", aggregate_id="u", data={}).to_json())
    del body["schema"]

    assert Event.from_json(orjson.dumps(body)).schema == SCHEMA_VERSION


@pytest.mark.parametrize("schema", [0, -1, "x", True, 1.5, None, [1]])
def test_a_schema_that_is_no_version_is_malformed(schema: object) -> None:
    with pytest.raises(MalformedEvent):
        Event.from_json(_with_schema(schema))


def test_a_newer_contract_round_trips() -> None:
    event = Event(type="iam.permissions.updated", aggregate_id="u", data={}, schema=2)

    assert orjson.loads(event.to_json())["schema"] == 2
    assert Event.from_json(event.to_json()) == event
