"""The events assets publishes: versioned contracts heatmaps, contracts and iam read.

``assets.asset.created`` / ``.updated`` / ``.deleted`` (contract 1) carry the asset's state as
those readers need it: where it is (address, geo and its representative point), where it sits
(type, parent, entity) and whether it shows (hidden, suspended, deleted). ``version`` is the
asset's: a reader applies a state only when it is newer.

``assets.industry.created`` / ``.updated`` / ``.deleted`` (contract 1): ``id``, ``name``,
``archived_at``, ``deleted_at`` (iam's commercial datazones and entities' readers name them).

``assets.document.created`` / ``.updated`` / ``.deleted`` (contract 1): the document's metadata
(never its bytes), for contracts whose ``media_ids`` name documents. Deleted: the row is gone,
the event carries its last state with ``deleted: true``.
"""

from __future__ import annotations

from typing import Any

from assets.repositories.asset_records import Asset
from assets.repositories.documents import Document
from assets.repositories.industries import Industry
from proximity.events.envelope import Event

ASSET_CONTRACT_VERSION = 1
INDUSTRY_CONTRACT_VERSION = 1
DOCUMENT_CONTRACT_VERSION = 1


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _id(value: Any) -> str | None:
    return str(value) if value is not None else None


def asset_state(found: Asset) -> dict[str, Any]:
    point = None
    if found.point_long is not None and found.point_lat is not None:
        point = {"long": found.point_long, "lat": found.point_lat}
    geo = None
    if found.geo_wkt is not None or found.geo_lat is not None:
        geo = {"lat": found.geo_lat, "long": found.geo_long, "radius": found.geo_radius, "wkt": found.geo_wkt}
    return {
        "contract": ASSET_CONTRACT_VERSION,
        "id": str(found.id),
        "name": found.name,
        "type_id": _id(found.type_id),
        "parent_id": _id(found.parent_id),
        "entity_id": _id(found.entity_id),
        "address": found.address,
        "geo": geo,
        "point": point,
        "is_hidden": found.is_hidden,
        "suspended_at": _iso(found.suspended_at),
        "deleted_at": _iso(found.deleted_at),
    }


def _event(subject: str, found: Asset) -> Event:
    return Event(
        type=subject,
        tenant_id=found.tenant_id,
        aggregate_id=str(found.id),
        version=found.version,
        data=asset_state(found),
    )


def asset_created(found: Asset) -> Event:
    return _event("assets.asset.created", found)


def asset_updated(found: Asset) -> Event:
    return _event("assets.asset.updated", found)


def asset_deleted(found: Asset) -> Event:
    return _event("assets.asset.deleted", found)


def _industry_event(subject: str, found: Industry) -> Event:
    return Event(
        type=subject,
        tenant_id=found.tenant_id,
        aggregate_id=str(found.id),
        version=found.version,
        data={
            "contract": INDUSTRY_CONTRACT_VERSION,
            "id": str(found.id),
            "name": found.name,
            "archived_at": _iso(found.archived_at),
            "deleted_at": _iso(found.deleted_at),
        },
    )


def industry_created(found: Industry) -> Event:
    return _industry_event("assets.industry.created", found)


def industry_updated(found: Industry) -> Event:
    return _industry_event("assets.industry.updated", found)


def industry_deleted(found: Industry) -> Event:
    return _industry_event("assets.industry.deleted", found)


def _document_event(subject: str, found: Document, *, deleted: bool = False) -> Event:
    return Event(
        type=subject,
        tenant_id=found.tenant_id,
        aggregate_id=str(found.id),
        version=found.version,
        data={
            "contract": DOCUMENT_CONTRACT_VERSION,
            "id": str(found.id),
            "documentable_type": found.documentable_type,
            "documentable_id": _id(found.documentable_id),
            "name": found.name,
            "description": found.description,
            "filename": found.filename,
            "content_type": found.content_type,
            "size": found.size,
            "checksum": found.checksum,
            "deleted": deleted,
        },
    )


def document_created(found: Document) -> Event:
    return _document_event("assets.document.created", found)


def document_updated(found: Document) -> Event:
    return _document_event("assets.document.updated", found)


def document_deleted(found: Document) -> Event:
    return _document_event("assets.document.deleted", found, deleted=True)
