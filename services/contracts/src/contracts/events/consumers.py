"""The consumers contracts runs from its lifespan (``service_app(start_consumers=...)``)."""

from __future__ import annotations

import asyncio

from contracts.events.consumed import (
    ASSET_FILTER,
    ASSETS_CONSUMER,
    DATAZONES_CONSUMER,
    DOCUMENT_FILTER,
    DOCUMENTS_CONSUMER,
    ENTITIES_CONSUMER,
    ENTITY_FILTER,
    GRANTS_CONSUMER,
    PARTIES_CONSUMER,
    PARTY_FILTER,
    TENANT_CREATED,
    TENANTS_CONSUMER,
)
from contracts.services.replicas import (
    apply_asset_event,
    apply_document_event,
    apply_entity_event,
    apply_party_event,
    provision_for_tenant,
)
from contracts.services.territories import apply_datazone_event, apply_permissions_event
from proximity.access.datazones import DATAZONE_FILTER, PERMISSIONS_UPDATED
from proximity.runtime import Runtime


async def start_consumers(runtime: Runtime) -> list[asyncio.Task[None]]:
    """Durable: tenants, parties, assets, entities, documents, grants and datazones announced
    while contracts was down (or before it was deployed: the stream is read from its start)
    are applied when it starts."""
    tenants = await runtime.consume(
        "identity", TENANT_CREATED, provision_for_tenant, durable=TENANTS_CONSUMER
    )
    parties = await runtime.consume("identity", PARTY_FILTER, apply_party_event, durable=PARTIES_CONSUMER)
    # assets' stream may not exist yet (its service not deployed): these wait for it.
    assets = await runtime.consume("assets", ASSET_FILTER, apply_asset_event, durable=ASSETS_CONSUMER)
    entities = await runtime.consume("assets", ENTITY_FILTER, apply_entity_event, durable=ENTITIES_CONSUMER)
    documents = await runtime.consume(
        "assets", DOCUMENT_FILTER, apply_document_event, durable=DOCUMENTS_CONSUMER
    )
    # iam's stream too (iam may not be deployed yet: these wait for it): grants and datazones.
    grants = await runtime.consume(
        "iam", PERMISSIONS_UPDATED, apply_permissions_event, durable=GRANTS_CONSUMER
    )
    datazones = await runtime.consume(
        "iam", DATAZONE_FILTER, apply_datazone_event, durable=DATAZONES_CONSUMER
    )
    return [tenants, parties, assets, entities, documents, grants, datazones]
