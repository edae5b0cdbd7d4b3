"""Documents on assets and entities against real PostgreSQL and the filesystem store: seed 004's
routes and seed 003's JSend ones over the same documents, streamed uploads and their limits,
downloads, tenancy, permissions, events, images on asset reads, and no orphan file on any
failure path; and seed 003's asset list and profile."""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from assets_support import Assets, Tenant, assert_error, create, provisioned_tenant, recorded_events
from sqlalchemy import text

from assets.config import AssetsSettings
from assets.repositories.document_store import final_key, pending_key
from assets.services.documents import sweep

LIMIT = 64 * 1024
PDF = b"%PDF-1.4 a small test document\n" * 40


@pytest.fixture
def settings(settings: AssetsSettings) -> AssetsSettings:
    return settings.model_copy(update={"document_max_bytes": LIMIT})


def stored_files(service: Assets) -> list[str]:
    root = service.settings.documents_dir
    return (
        sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
        if root.exists()
        else []
    )


async def upload(
    service: Assets,
    headers: dict[str, str],
    path: str,
    content: bytes = PDF,
    *,
    filename: str = "lease.pdf",
    content_type: str = "application/pdf",
    **fields: str,
) -> httpx.Response:
    return await service.http.post(
        path, headers=headers, files={"document": (filename, content, content_type)}, data=fields
    )


async def asset_document(
    service: Assets, tenant: Tenant, **fields: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    asset = await create(service, tenant, "Depot")
    made = await upload(service, tenant.admin, f"/assets/{asset['id']}/documents", **fields)
    assert made.status_code == 201, made.text
    return asset, made.json()["data"]


async def test_upload_list_read_and_download(service: Assets, tenant: Tenant) -> None:
    asset, made = await asset_document(service, tenant, description="Signed lease")
    assert made["filename"] == "lease.pdf"
    assert made["name"] == "lease.pdf"
    assert made["description"] == "Signed lease"
    assert made["size"] == len(PDF)
    assert made["content_type"] == "application/pdf"
    assert made["checksum"] == hashlib.sha256(PDF).hexdigest()
    assert made["url"].endswith(f"/assets/{asset['id']}/documents/{made['id']}/content")
    # Finalised: the file sits at its final key, nothing is left pending.
    assert stored_files(service) == [final_key(tenant.id, made["id"])]

    listed = await service.http.get(f"/assets/{asset['id']}/documents", headers=tenant.member)
    assert listed.status_code == 200, listed.text
    assert [d["id"] for d in listed.json()["data"]] == [made["id"]]
    one = await service.http.get(f"/assets/{asset['id']}/documents/{made['id']}", headers=tenant.member)
    assert one.json()["data"] == made

    content = await service.http.get(
        f"/assets/{asset['id']}/documents/{made['id']}/content", headers=tenant.member
    )
    assert content.status_code == 200
    assert content.content == PDF
    assert content.headers["content-type"] == "application/pdf"
    assert content.headers["etag"] == f'"{hashlib.sha256(PDF).hexdigest()}"'
    assert content.headers["content-disposition"].startswith('attachment; filename="lease.pdf"')

    events = await recorded_events(service, made["id"])
    assert [e["type"] for e in events] == ["assets.document.created"]
    assert events[0]["data"]["checksum"] == made["checksum"]


async def test_a_large_upload_streams_in_chunks_and_the_bytes_come_back(
    service: Assets, tenant: Tenant
) -> None:
    asset = await create(service, tenant, "Depot")
    body = os.urandom(LIMIT)  # exactly the limit: accepted

    made = await upload(service, tenant.admin, f"/assets/{asset['id']}/documents", body, filename="blob.bin")
    assert made.status_code == 201, made.text
    data = made.json()["data"]
    content = await service.http.get(data["url"].replace("http://assets", ""), headers=tenant.admin)
    assert content.content == body
    assert hashlib.sha256(content.content).hexdigest() == data["checksum"]


async def test_an_oversized_upload_is_refused_mid_stream_and_leaves_nothing(
    service: Assets, tenant: Tenant
) -> None:
    asset = await create(service, tenant, "Depot")
    boundary = "b0undary"
    sent: list[int] = []

    async def body() -> AsyncIterator[bytes]:
        yield (
            f'--{boundary}\r\nContent-Disposition: form-data; name="document"; filename="big.bin"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        for _ in range(40):  # 40 x 16 KiB: ten times the limit
            sent.append(1)
            yield b"x" * 16 * 1024
        yield f"\r\n--{boundary}--\r\n".encode()

    answer = await service.http.post(
        f"/assets/{asset['id']}/documents",
        headers={**tenant.admin, "Content-Type": f"multipart/form-data; boundary={boundary}"},
        content=body(),
    )
    assert_error(answer, "ePayloadTooLarge", 413)
    assert len(sent) < 40  # reading stopped at the limit, the rest was never asked for
    assert stored_files(service) == []
    listed = await service.http.get(f"/assets/{asset['id']}/documents", headers=tenant.admin)
    assert listed.json()["data"] == []

    legacy = await upload(
        service, tenant.admin, f"/api/v1/assets/{asset['id']}/documents", b"y" * (LIMIT + 1)
    )
    assert legacy.status_code == 413
    assert legacy.json() == {
        "status": "fail",
        "data": {"code": "ePayloadTooLarge", "message": legacy.json()["data"]["message"]},
    }
    assert stored_files(service) == []


async def test_empty_missing_and_malformed_uploads(service: Assets, tenant: Tenant) -> None:
    asset = await create(service, tenant, "Depot")
    path = f"/assets/{asset['id']}/documents"
    assert_error(await upload(service, tenant.admin, path, b""), "eDocumentEmpty")
    no_file = await service.http.post(
        path, headers=tenant.admin, data={"description": "x"}, files={"other": ("a", b"1")}
    )
    assert_error(no_file, "eDocumentRequired")
    not_multipart = await service.http.post(path, headers=tenant.admin, json={"document": "x"})
    assert_error(not_multipart, "eUnsupportedMediaType", 415)
    cut_short = await service.http.post(
        path,
        headers={**tenant.admin, "Content-Type": "multipart/form-data; boundary=zz"},
        content=b'--zz\r\nContent-Disposition: form-data; name="document"; filename="a"\r\n\r\nabc',
    )
    assert_error(cut_short, "eValidationError")
    assert stored_files(service) == []


async def test_the_filename_is_never_a_path(service: Assets, tenant: Tenant) -> None:
    asset = await create(service, tenant, "Depot")
    made = await upload(
        service, tenant.admin, f"/assets/{asset['id']}/documents", filename="C:\\Users\\x\\../../.passwd"
    )
    assert made.status_code == 201, made.text
    assert made.json()["data"]["filename"] == "passwd"
    assert stored_files(service) == [final_key(tenant.id, made.json()["data"]["id"])]


async def test_a_database_failure_after_the_file_is_written_leaves_no_orphan(
    service: Assets, tenant: Tenant
) -> None:
    asset = await create(service, tenant, "Depot")
    # A real PostgreSQL failure on the row's insert, after the whole file has been stored.
    async with service.wired.unit_of_work() as uow:
        await uow.session.execute(
            text(
                "CREATE FUNCTION refuse_document() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                "IF NEW.name = 'refused' THEN RAISE EXCEPTION 'refused' "
                "USING ERRCODE = 'string_data_right_truncation'; END IF; RETURN NEW; END $$"
            )
        )
        await uow.session.execute(
            text(
                "CREATE TRIGGER refuse_document BEFORE INSERT ON documents "
                "FOR EACH ROW EXECUTE FUNCTION refuse_document()"
            )
        )
        await uow.commit()
    try:
        refused = await upload(service, tenant.admin, f"/assets/{asset['id']}/documents", name="refused")
        assert_error(refused, "eValidationError")
        assert stored_files(service) == []
        accepted = await upload(service, tenant.admin, f"/assets/{asset['id']}/documents", name="fine")
        assert accepted.status_code == 201, accepted.text
    finally:
        async with service.wired.unit_of_work() as uow:
            await uow.session.execute(text("DROP TRIGGER refuse_document ON documents"))
            await uow.session.execute(text("DROP FUNCTION refuse_document()"))
            await uow.commit()
    listed = await service.http.get(f"/assets/{asset['id']}/documents", headers=tenant.admin)
    assert [d["name"] for d in listed.json()["data"]] == ["fine"]


async def test_update_and_delete(service: Assets, tenant: Tenant) -> None:
    asset, made = await asset_document(service, tenant)
    path = f"/assets/{asset['id']}/documents/{made['id']}"
    changed = await service.http.put(path, headers=tenant.admin, json={"description": "Countersigned"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["data"]["description"] == "Countersigned"
    assert changed.json()["data"]["name"] == "lease.pdf"

    deleted = await service.http.delete(path, headers=tenant.admin)
    assert deleted.status_code == 204
    assert stored_files(service) == []
    assert_error(await service.http.get(path, headers=tenant.admin), "eDocumentNotFound")
    assert_error(await service.http.get(f"{path}/content", headers=tenant.admin), "eDocumentNotFound")
    events = await recorded_events(service, made["id"])
    assert [e["type"] for e in events] == [
        "assets.document.created",
        "assets.document.updated",
        "assets.document.deleted",
    ]


async def test_documents_are_the_tenants_and_need_the_documentables_permissions(
    service: Assets, tenant: Tenant
) -> None:
    asset, made = await asset_document(service, tenant)
    other = await provisioned_tenant(service)
    theirs = f"/assets/{asset['id']}/documents"
    assert_error(await service.http.get(theirs, headers=other.admin), "eAssetNotFound")
    assert_error(await upload(service, other.admin, theirs), "eAssetNotFound")
    assert_error(
        await service.http.get(f"{theirs}/{made['id']}/content", headers=other.admin), "eAssetNotFound"
    )
    # Another asset of the same tenant does not reach this document either.
    mine = await create(service, tenant, "Other")
    assert_error(
        await service.http.get(f"/assets/{mine['id']}/documents/{made['id']}", headers=tenant.admin),
        "eDocumentNotFound",
    )

    reader = service.headers(tenant.id, permissions=("assets.view",))
    assert (await service.http.get(theirs, headers=reader)).status_code == 200
    assert_error(await upload(service, reader, theirs), "ePermissionDenied", 403)
    assert_error(
        await service.http.delete(f"{theirs}/{made['id']}", headers=reader), "ePermissionDenied", 403
    )
    nobody = service.headers(tenant.id, permissions=("entities.view",))
    assert_error(await service.http.get(theirs, headers=nobody), "ePermissionDenied", 403)
    assert len(stored_files(service)) == 1


async def test_a_deleted_assets_documents_go_with_it(service: Assets, tenant: Tenant) -> None:
    asset, made = await asset_document(service, tenant)
    assert (await service.http.delete(f"/assets/{asset['id']}", headers=tenant.admin)).status_code == 204
    assert_error(
        await service.http.get(f"/assets/{asset['id']}/documents", headers=tenant.admin), "eAssetNotFound"
    )
    restored = await service.http.patch(
        "/assets", headers=tenant.admin, json={"data": [{"id": asset["id"], "deleted_at": None}]}
    )
    assert restored.status_code == 200, restored.text
    listed = await service.http.get(f"/assets/{asset['id']}/documents", headers=tenant.admin)
    assert [d["id"] for d in listed.json()["data"]] == [made["id"]]


async def test_entity_documents(service: Assets, tenant: Tenant) -> None:
    from test_assets_entities import entity_body

    entity = (await service.http.post("/entities", headers=tenant.admin, json=entity_body(tenant))).json()[
        "data"
    ]
    made = await upload(service, tenant.admin, f"/entities/{entity['id']}/documents")
    assert made.status_code == 201, made.text
    data = made.json()["data"]
    assert data["documentable_type"] == "entity"
    content = await service.http.get(
        f"/entities/{entity['id']}/documents/{data['id']}/content", headers=tenant.admin
    )
    assert content.content == PDF
    # The entity's document is not an asset's.
    assert_error(
        await service.http.get(f"/assets/{entity['id']}/documents", headers=tenant.admin), "eAssetNotFound"
    )
    assert_error(
        await upload(service, tenant.member, f"/entities/{entity['id']}/documents"), "ePermissionDenied", 403
    )


async def test_image_documents_are_the_assets_images(service: Assets, tenant: Tenant) -> None:
    asset = await create(service, tenant, "Depot")
    await upload(service, tenant.admin, f"/assets/{asset['id']}/documents")
    photo = await upload(
        service,
        tenant.admin,
        f"/assets/{asset['id']}/documents",
        b"\x89PNG...",
        filename="front.png",
        content_type="image/png",
    )
    read = await service.http.get(
        f"/assets/{asset['id']}", params={"include[]": "images"}, headers=tenant.admin
    )
    assert read.json()["data"]["images"] == [photo.json()["data"]["url"]]
    assert (
        "images"
        not in (await service.http.get(f"/assets/{asset['id']}", headers=tenant.admin)).json()["data"]
    )


async def test_seed_003_documents_in_jsend(service: Assets, tenant: Tenant) -> None:
    asset = await create(service, tenant, "Depot")
    base = f"/api/v1/assets/{asset['id']}/documents"
    made = await upload(service, tenant.admin, base, description="test document 1")
    assert made.status_code == 200, made.text
    assert made.json()["status"] == "success"
    document = made.json()["data"]["document"]
    assert document["description"] == "test document 1"
    assert document["url"].endswith(f"/assets/{asset['id']}/documents/{document['object_key']}/content")

    listed = await service.http.get(base, headers=tenant.member)
    assert listed.json() == {"status": "success", "data": {"documents": [document]}}
    # The same document through seed 004's routes.
    again = await service.http.get(
        f"/assets/{asset['id']}/documents/{document['object_key']}", headers=tenant.admin
    )
    assert again.json()["data"]["checksum"] == document["checksum"]

    one = f"{base}/{document['object_key']}"
    patched = await service.http.patch(
        one, headers=tenant.admin, json={"description": "updated test document 1"}
    )
    assert patched.json()["data"]["document"]["description"] == "updated test document 1"
    put = await service.http.put(one, headers=tenant.admin, json={"name": "Lease"})
    assert put.json()["data"]["document"]["name"] == "Lease"
    deleted = await service.http.delete(one, headers=tenant.admin)
    assert deleted.json() == {"status": "success", "data": {}}
    assert stored_files(service) == []
    gone = await service.http.delete(one, headers=tenant.admin)
    assert gone.status_code == 404
    assert gone.json()["status"] == "fail"
    assert gone.json()["data"]["code"] == "eDocumentNotFound"


async def test_seed_003_refusals_are_jsend_fails(service: Assets, tenant: Tenant) -> None:
    asset = await create(service, tenant, "Depot")
    wrong_type = await service.http.get(f"/api/v1/widgets/{asset['id']}/documents", headers=tenant.admin)
    assert wrong_type.status_code == 404
    assert wrong_type.json()["status"] == "fail"
    assert wrong_type.json()["data"]["code"] == "eDocumentableNotFound"

    other = await provisioned_tenant(service)
    theirs = await service.http.get(f"/api/v1/assets/{asset['id']}/documents", headers=other.admin)
    assert theirs.status_code == 404
    assert theirs.json()["data"]["code"] == "eAssetNotFound"
    assert (await upload(service, other.admin, f"/api/v1/assets/{asset['id']}/documents")).status_code == 404
    assert (await service.http.get(f"/api/v1/assets/{asset['id']}", headers=other.admin)).status_code == 404
    assert (
        await service.http.get(f"/api/v1/entities/{uuid.uuid4()}/documents", headers=tenant.admin)
    ).status_code == 404

    empty = await upload(service, tenant.admin, f"/api/v1/assets/{asset['id']}/documents", b"")
    assert empty.status_code == 400
    assert empty.json()["data"]["code"] == "eDocumentEmpty"
    unauthenticated = await service.http.get(f"/api/v1/assets/{asset['id']}/documents")
    assert unauthenticated.status_code == 401
    assert unauthenticated.json()["status"] == "fail"
    no_route = await service.http.get("/api/v1/nothing/here")
    assert no_route.status_code == 404
    assert no_route.json()["status"] == "fail"
    assert stored_files(service) == []


async def test_seed_003_asset_list_and_profile(service: Assets, tenant: Tenant) -> None:
    names = [f"Site {n:02}" for n in range(5)]
    made = [await create(service, tenant, name) for name in names]
    first = await service.http.get("/api/v1/assets", params={"page_size": 2}, headers=tenant.admin)
    assert first.status_code == 200, first.text
    assert first.json()["status"] == "success"
    assert [a["asset_tag"] for a in first.json()["data"]["assets"]] == names[:2]
    assert first.headers["total"] == "5"
    assert first.headers["per-page"] == "2"
    links = first.headers["link"]
    assert 'page=1&page_size=2>; rel="first"' in links
    assert 'page=2&page_size=2>; rel="next"' in links
    assert 'page=3&page_size=2>; rel="last"' in links
    assert 'rel="prev"' not in links

    last = await service.http.get("/api/v1/assets", params={"page": 3, "page_size": 2}, headers=tenant.admin)
    assert [a["asset_tag"] for a in last.json()["data"]["assets"]] == names[4:]
    assert 'page=2&page_size=2>; rel="prev"' in last.headers["link"]
    assert 'rel="next"' not in last.headers["link"]

    bad = await service.http.get("/api/v1/assets", params={"page": 0}, headers=tenant.admin)
    assert bad.status_code == 400
    assert bad.json()["status"] == "fail"

    profile = await service.http.get(f"/api/v1/assets/{made[0]['id']}", headers=tenant.member)
    asset = profile.json()["data"]["asset"]
    assert asset["object_key"] == made[0]["id"]
    assert asset["asset_tag"] == "Site 00"
    assert asset["organization_id"] == str(tenant.id)
    assert asset["description"] == "Site 00 description"
    forbidden = await service.http.get(
        f"/api/v1/assets/{made[0]['id']}", headers=service.headers(tenant.id, permissions=("entities.view",))
    )
    assert forbidden.status_code == 403
    assert forbidden.json()["status"] == "fail"


async def test_the_sweep_finishes_or_removes_what_a_crash_left(service: Assets, tenant: Tenant) -> None:
    asset, kept = await asset_document(service, tenant)
    root: Path = service.settings.documents_dir
    # A committed upload whose promotion never happened: the file is still pending.
    final = root / final_key(tenant.id, kept["id"])
    pending = root / pending_key(kept["id"])
    pending.parent.mkdir(parents=True, exist_ok=True)
    final.rename(pending)
    read = await service.http.get(
        f"/assets/{asset['id']}/documents/{kept['id']}/content", headers=tenant.admin
    )
    assert read.content == PDF  # served from its pending key meanwhile
    # An upload that died before its row: young (maybe still streaming), and old.
    young, old = root / pending_key(uuid.uuid4()), root / pending_key(uuid.uuid4())
    young.write_bytes(b"young")
    old.write_bytes(b"old")
    an_hour_ago = (datetime.now(UTC) - timedelta(hours=2)).timestamp()
    os.utime(old, (an_hour_ago, an_hour_ago))
    # A file whose row was deleted but whose own delete failed.
    stray = root / final_key(tenant.id, uuid.uuid4())
    stray.write_bytes(b"stray")

    swept = await sweep(service.wired)
    assert (swept.promoted, swept.deleted) == (1, 2)
    assert stored_files(service) == sorted(
        [final_key(tenant.id, kept["id"]), young.relative_to(root).as_posix()]
    )
    assert (await sweep(service.wired)).promoted == 0
