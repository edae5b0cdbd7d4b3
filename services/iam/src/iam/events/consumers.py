"""The consumers iam runs from its lifespan (``service_app(start_consumers=...)``)."""

from __future__ import annotations

import asyncio

from iam.events.consumed import (
    PARTIES_CONSUMER,
    PARTY_FILTER,
    TENANT_CREATED,
    TENANTS_CONSUMER,
    USER_FILTER,
    USERS_CONSUMER,
)
from iam.events.datazone_consumed import (
    CONTRACT_FILTER,
    CONTRACTS_CONSUMER,
    ENTITIES_CONSUMER,
    ENTITY_FILTER,
    INDUSTRIES_CONSUMER,
    INDUSTRY_FILTER,
)
from iam.services.datazone_replicas import apply_contract_event, apply_entity_event, apply_industry_event
from iam.services.replicas import apply_party_event, apply_user_event, provision_for_tenant
from proximity.runtime import Runtime


async def start_consumers(runtime: Runtime) -> list[asyncio.Task[None]]:
    """Durable: tenants, parties and users announced while iam was down (or before it was
    deployed: the stream is read from its start) are applied when it starts."""
    tenants = await runtime.consume(
        "identity", TENANT_CREATED, provision_for_tenant, durable=TENANTS_CONSUMER
    )
    parties = await runtime.consume("identity", PARTY_FILTER, apply_party_event, durable=PARTIES_CONSUMER)
    users = await runtime.consume("identity", USER_FILTER, apply_user_event, durable=USERS_CONSUMER)
    # assets' and contracts' streams may not exist yet (not deployed): these wait for them.
    entities = await runtime.consume("assets", ENTITY_FILTER, apply_entity_event, durable=ENTITIES_CONSUMER)
    industries = await runtime.consume(
        "assets", INDUSTRY_FILTER, apply_industry_event, durable=INDUSTRIES_CONSUMER
    )
    contracts = await runtime.consume(
        "contracts", CONTRACT_FILTER, apply_contract_event, durable=CONTRACTS_CONSUMER
    )
    return [tenants, parties, users, entities, industries, contracts]
