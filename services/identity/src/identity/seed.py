"""Seed the demo tenant, idempotently: ``python -m identity.seed`` (development only).

Its events go to the outbox; the running identity service's relay publishes them.
"""

from __future__ import annotations

import asyncio

from identity.config import IdentitySettings
from identity.services.provisioning import ensure_tenant, ensure_user
from proximity.db.engine import build_engine, build_sessionmaker
from proximity.db.unit_of_work import UnitOfWork


async def seed_demo(settings: IdentitySettings) -> bool:
    """Returns True if anything was created."""
    engine = build_engine(settings.database_url, pool_size=1)
    try:
        async with UnitOfWork(build_sessionmaker(engine)) as uow:
            provisioned = await ensure_tenant(
                uow,
                name=settings.demo_tenant_name,
                client_key=settings.demo_client_key,
                domain=settings.demo_domain_key,
            )
            _, user_created = await ensure_user(
                uow,
                provisioned.tenant,
                email=settings.demo_admin_email,
                password=settings.demo_admin_password,
                first_name="Admin",
                system_admin=True,
            )
            created = provisioned.created or user_created
            await uow.commit()
            return created
    finally:
        await engine.dispose()


def main() -> None:
    settings = IdentitySettings()
    created = asyncio.run(seed_demo(settings))
    print("demo tenant seeded" if created else "demo tenant already present")


if __name__ == "__main__":
    main()
