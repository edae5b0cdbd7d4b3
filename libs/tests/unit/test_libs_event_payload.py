"""Reading a payload against the contract a consumer understands (proximity.events.payload)."""

from __future__ import annotations

import uuid

import pytest
from pydantic import BaseModel

from proximity.events.consumer import UnusableEvent
from proximity.events.envelope import Event
from proximity.events.payload import tenant_payload


class Thing(BaseModel):
    contract: int = 1
    id: uuid.UUID


def event(data: dict[str, object], tenant: uuid.UUID | None = None) -> Event:
    return Event(type="assets.thing.created", tenant_id=tenant, aggregate_id="a", version=1, data=data)


def test_the_tenant_and_the_payload_as_the_model() -> None:
    tenant, thing = uuid.uuid4(), uuid.uuid4()
    assert tenant_payload(event({"id": str(thing), "extra": 1}, tenant), Thing) == (tenant, Thing(id=thing))


@pytest.mark.parametrize(
    "data",
    [{"id": "not-a-uuid"}, {"id": str(uuid.uuid4()), "contract": 2}],
)
def test_a_payload_of_another_shape_or_major_is_unusable(data: dict[str, object]) -> None:
    with pytest.raises(UnusableEvent):
        tenant_payload(event(data, uuid.uuid4()), Thing)


def test_an_event_without_a_tenant_is_unusable() -> None:
    with pytest.raises(UnusableEvent, match="names no tenant"):
        tenant_payload(event({"id": str(uuid.uuid4())}), Thing)
