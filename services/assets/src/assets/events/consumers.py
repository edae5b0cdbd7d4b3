"""The consumers assets runs from its lifespan (``service_app(start_consumers=...)``)."""

from __future__ import annotations

import asyncio

from assets.events.consumed import (
    CONTRACT_FILTER,
    CONTRACTS_CONSUMER,
    DATAZONES_CONSUMER,
    GRANTS_CONSUMER,
    PARTIES_CONSUMER,
    PARTY_FILTER,
    SERVICE_FILTER,
    SERVICES_CONSUMER,
    TENANT_CREATED,
    TENANTS_CONSUMER,
)
from assets.services.asset_types import provision_for_tenant
from assets.services.contract_replica import apply_contract_event, apply_service_event
from assets.services.party_replica import apply_party_event
from assets.services.territories import apply_datazone_event, apply_permissions_event
from proximity.access.datazones import DATAZONE_FILTER, PERMISSIONS_UPDATED
from proximity.runtime import Runtime


async def start_consumers(runtime: Runtime) -> list[asyncio.Task[None]]:
    """Durable: tenants, parties, contracts, services, grants and datazones announced while
    assets was down (or before it was deployed: the stream is read from its start) are applied
    when it starts."""
    tenants = await runtime.consume(
        "identity", TENANT_CREATED, provision_for_tenant, durable=TENANTS_CONSUMER
    )
    parties = await runtime.consume("identity", PARTY_FILTER, apply_party_event, durable=PARTIES_CONSUMER)
    # contracts' stream may not exist yet (its service is not deployed): these wait for it.
    contracts = await runtime.consume(
        "contracts", CONTRACT_FILTER, apply_contract_event, durable=CONTRACTS_CONSUMER
    )
    services = await runtime.consume(
        "contracts", SERVICE_FILTER, apply_service_event, durable=SERVICES_CONSUMER
    )
    # iam's stream too (iam is not deployed yet): grants and datazones.
    grants = await runtime.consume(
        "iam", PERMISSIONS_UPDATED, apply_permissions_event, durable=GRANTS_CONSUMER
    )
    datazones = await runtime.consume(
        "iam", DATAZONE_FILTER, apply_datazone_event, durable=DATAZONES_CONSUMER
    )
    return [tenants, parties, contracts, services, grants, datazones]
