"""``media_ids`` against contracts' replica of assets' documents, fed by assets' own
``assets.document.*`` envelopes on the real broker: a document becomes a valid medium, an
unknown, another tenant's or a deleted one is ``eAttemptSaveWithMissingMedia``, one already
named stays valid after its deletion; and what a suspended asset leaves on a contract."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from contracts_harness import Contracts, Tenant, contract_body, create_contract, provisioned_tenant
from sqlmodel import col, select

from assets.events import published
from assets.repositories.documents import Document
from contracts.events.consumed import DOCUMENTS_CONSUMER
from contracts.repositories.asset_replica import ReplicatedAsset
from contracts.repositories.document_replica import ReplicatedDocument
from proximity.events.envelope import Event
from proximity.events.streams import declare_stream
from proximity.events.tables import ParkedMessage


async def publish(service: Contracts, context: str, event: Event) -> None:
    """As its publisher does: onto the publisher's own stream."""
    js = service.wired.runtime.js
    await declare_stream(js, context)
    await js.publish(event.subject, event.to_json())


async def eventually(check: Callable[[], Awaitable[bool]]) -> None:
    for _ in range(300):
        if await check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the event never took effect")


def asset_event(tenant: Tenant, asset_id: uuid.UUID, *, version: int, suspended_at: str | None) -> Event:
    return Event(
        type="assets.asset.created" if version == 1 else "assets.asset.updated",
        tenant_id=tenant.id,
        aggregate_id=str(asset_id),
        version=version,
        data={
            "contract": 1,
            "id": str(asset_id),
            "name": "Pump",
            "suspended_at": suspended_at,
            "deleted_at": None,
        },
    )


def a_document(tenant: Tenant, *, version: int = 1) -> Document:
    return Document(
        id=uuid.uuid4(),
        tenant_id=tenant.id,
        documentable_type="asset",
        documentable_id=uuid.uuid4(),
        name="Lease.pdf",
        description="The signed lease",
        filename="lease.pdf",
        content_type="application/pdf",
        size=1234,
        checksum="ab" * 32,
        storage_key="k",
        version=version,
    )


async def stored_document(service: Contracts, document_id: uuid.UUID) -> ReplicatedDocument | None:
    async with service.wired.snapshot() as session:
        found = await session.execute(
            select(ReplicatedDocument).where(col(ReplicatedDocument.document_id) == document_id)
        )
        stored: ReplicatedDocument | None = found.scalar_one_or_none()
        return stored


async def announced_document(service: Contracts, tenant: Tenant) -> uuid.UUID:
    """Published by assets' own event builder, applied by contracts' durable consumer."""
    document = a_document(tenant)
    await publish(service, "assets", published.document_created(document))

    async def applied() -> bool:
        return await stored_document(service, document.id) is not None

    await eventually(applied)
    return document.id


async def post(service: Contracts, tenant: Tenant, **body: object) -> tuple[int, str | None]:
    response = await service.http.post("/contracts", headers=tenant.admin, json=contract_body(**body))
    errors = response.json().get("errors") or [{}]
    return response.status_code, errors[0].get("code")


async def test_a_document_becomes_a_medium_and_a_deleted_one_not(service: Contracts, tenant: Tenant) -> None:
    document = a_document(tenant)
    await publish(service, "assets", published.document_created(document))

    async def linkable() -> bool:
        return (await post(service, tenant, media_ids=[str(document.id)]))[0] == 201

    await eventually(linkable)
    stored = await stored_document(service, document.id)
    assert stored is not None
    assert (stored.tenant_id, stored.documentable_type, stored.documentable_id, stored.version) == (
        tenant.id,
        "asset",
        document.documentable_id,
        1,
    )
    assert stored.deleted_at is None
    made = await create_contract(service, tenant, "With media", media_ids=[str(document.id)])
    assert made["media_ids"] == [str(document.id)]

    await publish(service, "assets", published.document_deleted(replace_version(document, 3)))
    # Late and older than the deletion: must not bring the document back.
    await publish(service, "assets", published.document_updated(replace_version(document, 2)))

    async def refused() -> bool:
        return (await post(service, tenant, media_ids=[str(document.id)])) == (
            400,
            "eAttemptSaveWithMissingMedia",
        )

    await eventually(refused)
    stored = await stored_document(service, document.id)
    assert stored is not None
    assert stored.version == 3
    assert stored.deleted_at is not None

    # Already named by the contract: it stays valid when the contract is replaced.
    kept = await service.http.put(
        f"/contracts/{made['id']}",
        headers=tenant.admin,
        json=contract_body("With media, renamed", media_ids=[str(document.id)]),
    )
    assert kept.status_code == 200, kept.text
    assert kept.json()["data"]["media_ids"] == [str(document.id)]
    got = await service.http.get(f"/contracts/{made['id']}", headers=tenant.admin)
    assert got.json()["data"]["media_ids"] == [str(document.id)]
    # Dropped, it cannot come back.
    dropped = await service.http.put(
        f"/contracts/{made['id']}", headers=tenant.admin, json=contract_body("No media")
    )
    assert dropped.status_code == 200, dropped.text
    again = await service.http.put(
        f"/contracts/{made['id']}",
        headers=tenant.admin,
        json=contract_body("No media", media_ids=[str(document.id)]),
    )
    assert again.status_code == 400
    assert again.json()["errors"][0]["code"] == "eAttemptSaveWithMissingMedia"


def replace_version(document: Document, version: int) -> Document:
    return Document(**{**document.model_dump(), "version": version})


async def test_unknown_and_another_tenants_media_are_refused(service: Contracts, tenant: Tenant) -> None:
    other = await provisioned_tenant(service)
    theirs = await announced_document(service, other)
    ours = await announced_document(service, tenant)

    assert await post(service, tenant, media_ids=[str(uuid.uuid4())]) == (400, "eAttemptSaveWithMissingMedia")
    assert await post(service, tenant, media_ids=[str(theirs)]) == (400, "eAttemptSaveWithMissingMedia")
    assert await post(service, tenant, media_ids=[str(ours), str(uuid.uuid4())]) == (
        400,
        "eAttemptSaveWithMissingMedia",
    )
    assert await post(service, other, media_ids=[str(theirs)]) == (201, None)

    made = await create_contract(service, tenant, "Ours", media_ids=[str(ours)])
    refused = await service.http.put(
        f"/contracts/{made['id']}",
        headers=tenant.admin,
        json=contract_body("Ours", media_ids=[str(ours), str(theirs)]),
    )
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["code"] == "eAttemptSaveWithMissingMedia"
    got = await service.http.get(f"/contracts/{made['id']}", headers=tenant.admin)
    assert got.json()["data"]["media_ids"] == [str(ours)]


async def test_a_document_event_of_another_payload_contract_is_parked(
    service: Contracts, tenant: Tenant
) -> None:
    base = published.document_created(a_document(tenant))
    event = Event(
        type=base.type,
        tenant_id=base.tenant_id,
        aggregate_id=base.aggregate_id,
        version=base.version,
        data={**base.data, "contract": 2},
    )
    await publish(service, "assets", event)

    async def parked() -> bool:
        async with service.wired.snapshot() as session:
            found = await session.execute(
                select(col(ParkedMessage.reason)).where(
                    col(ParkedMessage.consumer) == DOCUMENTS_CONSUMER, col(ParkedMessage.event_id) == event.id
                )
            )
            return found.first() is not None

    await eventually(parked)
    assert await stored_document(service, uuid.UUID(base.aggregate_id)) is None


async def test_a_suspended_asset_stays_linked_and_its_replica_marks_it(
    service: Contracts, tenant: Tenant
) -> None:
    asset = uuid.uuid4()
    await publish(service, "assets", asset_event(tenant, asset, version=1, suspended_at=None))

    async def linkable() -> bool:
        return (await post(service, tenant, asset_ids=[str(asset)]))[0] == 201

    await eventually(linkable)
    made = await create_contract(service, tenant, "Linked", asset_ids=[str(asset)])
    suspended = asset_event(
        tenant, asset, version=2, suspended_at=datetime(2026, 1, 2, tzinfo=UTC).isoformat()
    )
    await publish(service, "assets", suspended)

    async def marked() -> bool:
        async with service.wired.snapshot() as session:
            found = await session.execute(
                select(col(ReplicatedAsset.suspended_at)).where(col(ReplicatedAsset.asset_id) == asset)
            )
            return found.scalar_one() is not None

    await eventually(marked)
    got = await service.http.get(f"/contracts/{made['id']}?include[]=counts", headers=tenant.admin)
    assert got.json()["data"]["asset_ids"] == [str(asset)]
    assert got.json()["data"]["stats"] == [{"assets": 1, "entities": 0}]
    # A suspended asset is still a live one: it can be linked again.
    assert (await post(service, tenant, asset_ids=[str(asset)]))[0] == 201
