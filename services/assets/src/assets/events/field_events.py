"""The dynamic field events assets publishes (contract 1):

- ``assets.field.created`` / ``.updated`` / ``.deleted``: ``id``, ``object_type``, ``label``,
  ``field_type``, ``config``, ``archived_at``, ``deleted_at``;
- ``assets.value.updated``: ``field_id``, ``field_type``, ``subject_type``, ``subject_id``,
  ``object_type``, ``object_id``, ``value`` (null: cleared), ``scalefactor`` for numbers: what
  heatmap metrics aggregate. Its aggregate is the (field, subject, object) triple.
"""

from __future__ import annotations

from typing import Any

from assets.repositories.dynamic_fields import DynamicField, DynamicValue
from proximity.events.envelope import Event

FIELD_CONTRACT_VERSION = 1


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _field_event(subject: str, found: DynamicField) -> Event:
    return Event(
        type=subject,
        tenant_id=found.tenant_id,
        aggregate_id=str(found.id),
        version=found.version,
        data={
            "contract": FIELD_CONTRACT_VERSION,
            "id": str(found.id),
            "object_type": found.object_type,
            "label": found.label,
            "field_type": found.field_type,
            "config": found.config,
            "archived_at": _iso(found.archived_at),
            "deleted_at": _iso(found.deleted_at),
        },
    )


def field_created(found: DynamicField) -> Event:
    return _field_event("assets.field.created", found)


def field_updated(found: DynamicField) -> Event:
    return _field_event("assets.field.updated", found)


def field_deleted(found: DynamicField) -> Event:
    return _field_event("assets.field.deleted", found)


def value_updated(saved: DynamicValue, field: DynamicField) -> Event:
    return Event(
        type="assets.value.updated",
        tenant_id=saved.tenant_id,
        aggregate_id=f"{saved.field_id}:{saved.subject_id}:{saved.object_id}",
        version=saved.version,
        data={
            "contract": FIELD_CONTRACT_VERSION,
            "field_id": str(saved.field_id),
            "field_type": field.field_type,
            "scalefactor": field.config.get("scalefactor") if field.field_type == "number" else None,
            "subject_type": saved.subject_type,
            "subject_id": str(saved.subject_id),
            "object_type": saved.object_type,
            "object_id": str(saved.object_id),
            "value": saved.value,
        },
    )
