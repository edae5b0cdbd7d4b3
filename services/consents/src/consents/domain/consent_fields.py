"""The consent fields a client may name in ``filter`` and ``sortBy``: the allow-list, each
field's kind (how its values are read and compared) and how to read it from a ``Consent``.

Names are the representation's own (``userId``, ``document.revisedAt``), so a client filters by
what it reads. The repository maps the same names to columns.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import Enum

from consents.domain.consent import Consent


class FieldKind(Enum):
    TEXT = "text"  # eq, ne, in: exact, case-sensitive
    STATE = "state"  # eq, ne, in: one of the consent states
    TIMESTAMP = "timestamp"  # eq, ne, in, lt, le, gt, ge: RFC 3339 date-times with an offset


FieldValue = str | datetime | None

FIELDS: dict[str, tuple[FieldKind, Callable[[Consent], FieldValue]]] = {
    "_id": (FieldKind.TEXT, lambda c: c.id),
    "type": (FieldKind.TEXT, lambda c: c.type),
    "state": (FieldKind.STATE, lambda c: c.state),
    "userId": (FieldKind.TEXT, lambda c: c.user_id),
    "contextUri": (FieldKind.TEXT, lambda c: c.context_uri),
    "document.uri": (FieldKind.TEXT, lambda c: c.document.uri),
    "document.revisionId": (FieldKind.TEXT, lambda c: c.document.revision_id),
    "document.revisedAt": (FieldKind.TIMESTAMP, lambda c: c.document.revised_at),
    "givenAt": (FieldKind.TIMESTAMP, lambda c: c.given_at),
    "requestRevokedAt": (FieldKind.TIMESTAMP, lambda c: c.request_revoked_at),
    "requestRescindedAt": (FieldKind.TIMESTAMP, lambda c: c.request_rescinded_at),
}


def field_value(name: str, consent: Consent) -> FieldValue:
    return FIELDS[name][1](consent)
