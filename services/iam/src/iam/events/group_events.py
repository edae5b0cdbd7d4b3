"""``iam.group.created`` / ``.updated`` / ``.deleted`` (contract 1): the group's identity and
state at the group's ``version``, never its items (who reaches what is
``iam.permissions.updated``'s)."""

from __future__ import annotations

from typing import Any

from iam.repositories.groups import IamGroup
from proximity.events.envelope import Event

GROUP_PAYLOAD_CONTRACT = 1
GROUP_SUBJECTS = ("iam.group.created", "iam.group.updated", "iam.group.deleted")


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def group_state(found: IamGroup) -> dict[str, Any]:
    return {
        "contract": GROUP_PAYLOAD_CONTRACT,
        "id": str(found.id),
        "name": found.name,
        "type": found.type,
        "is_system": found.is_system,
        "suspended_at": _iso(found.suspended_at),
        "deleted_at": _iso(found.deleted_at),
    }


def _event(subject: str, found: IamGroup) -> Event:
    return Event(
        type=subject,
        tenant_id=found.tenant_id,
        aggregate_id=str(found.id),
        version=found.version,
        data=group_state(found),
    )


def group_created(found: IamGroup) -> Event:
    return _event("iam.group.created", found)


def group_updated(found: IamGroup) -> Event:
    return _event("iam.group.updated", found)


def group_deleted(found: IamGroup) -> Event:
    return _event("iam.group.deleted", found)


def group_changed(found: IamGroup) -> Event:
    """Deleted or updated, as the group now is."""
    return (group_deleted if found.deleted_at is not None else group_updated)(found)
