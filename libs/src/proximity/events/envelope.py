"""The event envelope every context publishes: a versioned contract between services.

Subject and ``type`` are ``<context>.<aggregate>.<verb>``; ``version`` is the aggregate's
version after the change, so a consumer can ignore an older state arriving late
(``proximity.events.replica``). ``schema`` is the envelope's major contract version: a
consumer names the majors it understands and parks any other rather than misreading it.
Consumers must tolerate fields they do not know.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson

SCHEMA_VERSION = 1


class MalformedEvent(ValueError):
    """A message on a stream that is not an event envelope."""


def _schema_major(value: object) -> int:
    """``1``, ``"1"`` or ``"1.2"`` (a minor only adds fields) -> 1."""
    major = value.split(".", 1)[0] if isinstance(value, str) else value
    if isinstance(major, bool) or not isinstance(major, int | str):
        raise ValueError(f"schema {value!r} is not a version")
    number = int(major)
    if number < 1:
        raise ValueError(f"schema {value!r} is not a version")
    return number


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Event:
    type: str
    aggregate_id: str
    data: dict[str, Any]
    tenant_id: uuid.UUID | None = None
    version: int = 1
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    occurred_at: datetime = field(default_factory=_now)
    schema: int = SCHEMA_VERSION

    def __post_init__(self) -> None:
        if self.type.count(".") != 2 or not all(self.type.split(".")):
            raise ValueError(f"event type {self.type!r} is not <context>.<aggregate>.<verb>")

    @property
    def subject(self) -> str:
        return self.type

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "type": self.type,
            "schema": self.schema,
            "tenant_id": str(self.tenant_id) if self.tenant_id else None,
            "aggregate_id": self.aggregate_id,
            "version": self.version,
            "occurred_at": self.occurred_at.isoformat(),
            "data": self.data,
        }

    def to_json(self) -> bytes:
        return orjson.dumps(self.to_dict())

    @classmethod
    def from_json(cls, raw: bytes) -> Event:
        try:
            body = orjson.loads(raw)
            tenant = body.get("tenant_id")
            return cls(
                id=uuid.UUID(body["id"]),
                type=body["type"],
                tenant_id=uuid.UUID(tenant) if tenant else None,
                aggregate_id=str(body["aggregate_id"]),
                version=int(body.get("version", 1)),
                occurred_at=datetime.fromisoformat(body["occurred_at"]),
                data=dict(body.get("data") or {}),
                schema=_schema_major(body.get("schema", SCHEMA_VERSION)),
            )
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError) as exc:
            raise MalformedEvent(str(exc)) from exc
