"""Creating tenants and their first users: used by the demo seed and by operators' tooling."""

from __future__ import annotations

from dataclasses import dataclass

from identity.domain.email_address import normalise_email
from identity.events import published
from identity.repositories.people import login_candidate
from identity.repositories.tables import Client, DomainKey, Identity, Party, PasswordCredential, Tenant, User
from identity.repositories.tenants import active_client_by_hash, client_key_hash, domain_key
from identity.services.party_catalogues import seed_people_catalogues
from identity.services.password_hashing import hash_for_provisioning
from proximity.db.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class Provisioned:
    tenant: Tenant
    client: Client
    created: bool


async def ensure_tenant(uow: UnitOfWork, *, name: str, client_key: str, domain: str | None) -> Provisioned:
    """The tenant that ``client_key`` opens, created with that key (and domain) if missing."""
    session = uow.session
    client = await active_client_by_hash(session, client_key_hash(client_key))
    if client is not None:
        tenant = await session.get(Tenant, client.tenant_id)
        assert tenant is not None
        return Provisioned(tenant, client, created=False)
    tenant = Tenant(name=name)
    session.add(tenant)
    await session.flush()
    await seed_people_catalogues(session, tenant.id)
    client = Client(tenant_id=tenant.id, name=f"{name} default client", key_hash=client_key_hash(client_key))
    session.add(client)
    if domain and await domain_key(session, domain) is None:
        session.add(DomainKey(domain=domain, tenant_id=tenant.id))
    await session.flush()
    uow.publish(published.tenant_created(tenant))
    uow.publish(published.client_created(client))
    return Provisioned(tenant, client, created=True)


async def ensure_user(
    uow: UnitOfWork,
    tenant: Tenant,
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str | None = None,
    system_admin: bool = False,
) -> tuple[User, bool]:
    """The user ``email`` names in ``tenant`` (created with party, identity and password if
    missing), and whether it was created."""
    session = uow.session
    address = normalise_email(email)
    existing = await login_candidate(session, tenant.id, address)
    if existing is not None:
        return existing.user, False
    party = Party(
        tenant_id=tenant.id, base_type="user", first_name=first_name, last_name=last_name, email=address
    )
    session.add(party)
    await session.flush()
    user = User(tenant_id=tenant.id, party_id=party.id, is_system_admin=system_admin)
    session.add(user)
    await session.flush()
    session.add(Identity(tenant_id=tenant.id, user_id=user.id, kind="email", value=address))
    session.add(
        PasswordCredential(
            user_id=user.id, tenant_id=tenant.id, password_hash=await hash_for_provisioning(password)
        )
    )
    uow.publish(published.party_created(party))
    uow.publish(published.user_created(user))
    return user, True
