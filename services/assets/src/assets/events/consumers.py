"""The consumers assets runs from its lifespan (``service_app(start_consumers=...)``)."""

from __future__ import annotations

import asyncio

from assets.events.consumed import PARTIES_CONSUMER, PARTY_FILTER, TENANT_CREATED, TENANTS_CONSUMER
from assets.services.asset_types import provision_for_tenant
from assets.services.party_replica import apply_party_event
from proximity.runtime import Runtime


async def start_consumers(runtime: Runtime) -> list[asyncio.Task[None]]:
    """Durable: tenants and parties announced while assets was down (or before it was deployed:
    the stream is read from its start) are applied when it starts."""
    tenants = await runtime.consume(
        "identity", TENANT_CREATED, provision_for_tenant, durable=TENANTS_CONSUMER
    )
    parties = await runtime.consume("identity", PARTY_FILTER, apply_party_event, durable=PARTIES_CONSUMER)
    return [tenants, parties]
