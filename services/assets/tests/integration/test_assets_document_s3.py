"""The S3-compatible document store against a real S3 HTTP server (moto's, started here): the
service configured with a bucket uploads in parts, serves, promotes and deletes there, and a
refused upload leaves no object behind."""

from __future__ import annotations

import hashlib
import os
from collections.abc import AsyncIterator, Iterator

import pytest
from assets_support import Assets, Tenant, assert_error, create
from minio import Minio
from moto.server import ThreadedMotoServer
from pydantic import SecretStr

from assets.config import AssetsSettings
from assets.repositories.document_store import final_key, pending_key
from assets.repositories.s3_document_store import PART_BYTES, S3Store
from assets.services.documents import sweep

BUCKET = "proximity-documents"
LIMIT = PART_BYTES + 1024 * 1024  # room for a file of two parts


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield f"{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def settings(settings: AssetsSettings, s3_endpoint: str) -> AssetsSettings:
    return settings.model_copy(
        update={
            "document_max_bytes": LIMIT,
            "documents_s3_bucket": BUCKET,
            "documents_s3_endpoint": s3_endpoint,
            "documents_s3_access_key": SecretStr("testing"),
            "documents_s3_secret_key": SecretStr("testing"),
            "documents_s3_region": "us-east-1",
            "documents_s3_secure": False,
        }
    )


def bucket_keys(service: Assets) -> list[str]:
    store = service.wired.documents
    assert isinstance(store, S3Store)
    client: Minio = store.client
    return sorted(str(item.object_name) for item in client.list_objects(BUCKET, recursive=True))


async def test_documents_live_in_the_bucket(service: Assets, tenant: Tenant) -> None:
    asset = await create(service, tenant, "Depot")
    body = os.urandom(PART_BYTES + 1000)  # two parts of a multipart upload
    made = await service.http.post(
        f"/assets/{asset['id']}/documents",
        headers=tenant.admin,
        files={"document": ("scan.tiff", body, "image/tiff")},
    )
    assert made.status_code == 201, made.text
    data = made.json()["data"]
    assert data["checksum"] == hashlib.sha256(body).hexdigest()
    assert data["size"] == len(body)
    assert bucket_keys(service) == [final_key(tenant.id, data["id"])]
    assert not service.settings.documents_dir.exists()  # nothing on the filesystem

    content = await service.http.get(
        f"/assets/{asset['id']}/documents/{data['id']}/content", headers=tenant.admin
    )
    assert content.content == body
    assert content.headers["etag"] == f'"{data["checksum"]}"'

    deleted = await service.http.delete(f"/assets/{asset['id']}/documents/{data['id']}", headers=tenant.admin)
    assert deleted.status_code == 204
    assert bucket_keys(service) == []


async def test_a_refused_upload_leaves_no_object(service: Assets, tenant: Tenant) -> None:
    asset = await create(service, tenant, "Depot")
    too_big = await service.http.post(
        f"/assets/{asset['id']}/documents",
        headers=tenant.admin,
        files={"document": ("big.bin", b"z" * (LIMIT + 1), "application/octet-stream")},
    )
    assert_error(too_big, "ePayloadTooLarge", 413)
    empty = await service.http.post(
        f"/assets/{asset['id']}/documents",
        headers=tenant.admin,
        files={"document": ("e.txt", b"", "text/plain")},
    )
    assert_error(empty, "eDocumentEmpty")
    assert bucket_keys(service) == []


async def test_the_store_port_on_s3(service: Assets, tenant: Tenant) -> None:
    store = service.wired.documents
    assert isinstance(store, S3Store)

    async def chunks(*parts: bytes) -> AsyncIterator[bytes]:
        for part in parts:
            yield part

    key = pending_key("7d9a6c1e-0000-4000-8000-000000000001")
    stored = await store.write(key, chunks(b"abc", b"def"))
    assert (stored.size, stored.checksum) == (6, hashlib.sha256(b"abcdef").hexdigest())
    target = final_key(tenant.id, "7d9a6c1e-0000-4000-8000-000000000001")
    await store.promote(key, target)
    assert [b"".join([c async for c in await store.open(target)])] == [b"abcdef"]
    assert [item.key async for item in store.held()] == [target]

    async def failing() -> AsyncIterator[bytes]:
        yield b"partial"
        raise RuntimeError("the client went away")

    with pytest.raises(RuntimeError):
        await store.write(pending_key("7d9a6c1e-0000-4000-8000-000000000002"), failing())
    assert bucket_keys(service) == [target]
    # A final object without a row is swept.
    assert (await sweep(service.wired)).deleted == 1
    assert bucket_keys(service) == []
