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
    return [tenants, parties, users]
