"""iam checks a user against what it last published for them, not the tags their token was
signed with: a permission taken away is refused at once, one given is honoured before the next
login; a user iam has published nothing for keeps the token's tags."""

from __future__ import annotations

import uuid

from iam_harness import Iam, Tenant

from iam.domain.effective_permissions import Entry
from iam.repositories.user_permissions import store


async def published(service: Iam, tenant: Tenant, party: uuid.UUID, version: int, *tags: str) -> None:
    entries = (Entry(uuid.uuid4(), tuple(sorted(tags)), None),) if tags else ()
    async with service.wired.unit_of_work() as uow:
        await store(uow.session, tenant.id, {party: (version, entries)})
        await uow.commit()


async def test_the_published_grants_decide_not_the_token(service: Iam, tenant: Tenant) -> None:
    party = uuid.uuid4()
    viewer = service.headers(tenant.id, permissions=("groups.view",), party_id=party)
    assert (await service.http.get("/groups", headers=viewer)).status_code == 200  # never published

    await published(service, tenant, party, 1)  # iam took everything away
    refused = await service.http.get("/groups", headers=viewer)
    assert (refused.status_code, refused.json()["errors"][0]["code"]) == (403, "ePermissionDenied")

    await published(service, tenant, party, 2, "features.view")
    bare = service.headers(tenant.id, party_id=party)  # a token signed before the grant
    assert (await service.http.get("/features", headers=bare)).status_code == 200
    assert (await service.http.get("/groups", headers=bare)).status_code == 403
