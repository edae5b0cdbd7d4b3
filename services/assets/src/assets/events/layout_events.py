"""The layout events assets publishes (contract 1):

``assets.layout.created`` / ``.updated`` / ``.deleted``: ``id``, ``name``, ``subject_type``,
``object_type``, ``is_default``, ``industry_ids``, ``field_ids`` (the fields its cards place, each
once, sorted), ``deleted_at``. The cards themselves are left out: 50 cards of 200 items and their
descriptions can outgrow the broker's message limit; a reader that needs them reads the layout.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from assets.repositories.layouts import Layout
from proximity.events.envelope import Event

LAYOUT_CONTRACT_VERSION = 1


def placed_field_ids(found: Layout) -> list[str]:
    return sorted(
        {str(item["field_id"]) for card in found.cards for item in card["items"] if item["field_id"]}
    )


def _layout_event(subject: str, found: Layout, industry_ids: Sequence[uuid.UUID]) -> Event:
    return Event(
        type=subject,
        tenant_id=found.tenant_id,
        aggregate_id=str(found.id),
        version=found.version,
        data={
            "contract": LAYOUT_CONTRACT_VERSION,
            "id": str(found.id),
            "name": found.name,
            "subject_type": found.subject_type,
            "object_type": found.object_type,
            "is_default": found.is_default,
            "industry_ids": sorted(str(industry_id) for industry_id in industry_ids),
            "field_ids": placed_field_ids(found),
            "deleted_at": found.deleted_at.isoformat() if found.deleted_at is not None else None,
        },
    )


def layout_created(found: Layout, industry_ids: Sequence[uuid.UUID]) -> Event:
    return _layout_event("assets.layout.created", found, industry_ids)


def layout_updated(found: Layout, industry_ids: Sequence[uuid.UUID]) -> Event:
    return _layout_event("assets.layout.updated", found, industry_ids)


def layout_deleted(found: Layout) -> Event:
    return _layout_event("assets.layout.deleted", found, ())
