"""The consumers heatmaps runs from its lifespan (``service_app(start_consumers=...)``).

Each is one entry of ``CONSUMERS``: (publishing context, subject filter, handler, durable
name); a new replica adds its line."""

from __future__ import annotations

import asyncio

from heatmaps.events.consumed import (
    DATAZONES_CONSUMER,
    FIELD_FILTER,
    FIELDS_CONSUMER,
    GRANTS_CONSUMER,
    GROUP_FILTER,
    GROUPS_CONSUMER,
    PARTIES_CONSUMER,
    PARTY_FILTER,
)
from heatmaps.events.point_consumed import (
    ASSET_FILTER,
    ASSETS_CONSUMER,
    ENTITIES_CONSUMER,
    ENTITY_FILTER,
    VALUE_UPDATED,
    VALUES_CONSUMER,
)
from heatmaps.services.point_replicas import apply_point_event, apply_value_event
from heatmaps.services.replicas import (
    apply_datazone_event,
    apply_field_event,
    apply_group_event,
    apply_party_event,
    apply_permissions_event,
)
from proximity.access.datazones import DATAZONE_FILTER, PERMISSIONS_UPDATED
from proximity.events.consumer import SessionEventHandler
from proximity.runtime import Runtime

CONSUMERS: tuple[tuple[str, str, SessionEventHandler, str], ...] = (
    ("identity", PARTY_FILTER, apply_party_event, PARTIES_CONSUMER),
    ("iam", GROUP_FILTER, apply_group_event, GROUPS_CONSUMER),
    ("iam", PERMISSIONS_UPDATED, apply_permissions_event, GRANTS_CONSUMER),
    ("iam", DATAZONE_FILTER, apply_datazone_event, DATAZONES_CONSUMER),
    # assets' stream may not exist yet (its service not deployed): these wait for it.
    ("assets", FIELD_FILTER, apply_field_event, FIELDS_CONSUMER),
    ("assets", ASSET_FILTER, apply_point_event, ASSETS_CONSUMER),
    ("assets", ENTITY_FILTER, apply_point_event, ENTITIES_CONSUMER),
    ("assets", VALUE_UPDATED, apply_value_event, VALUES_CONSUMER),
)


async def start_consumers(runtime: Runtime) -> list[asyncio.Task[None]]:
    """Durable: parties, groups, grants, datazones and fields announced while heatmaps was
    down (or before it was deployed: each stream is read from its start) are applied when it
    starts."""
    return [
        await runtime.consume(context, subject, handler, durable=durable)
        for context, subject, handler, durable in CONSUMERS
    ]
