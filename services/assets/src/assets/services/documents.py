"""Use cases on documents: files held on an asset or an entity (seed 003 "Documents", also
served the seed 004 way). Reading needs the documentable's view permission, writing its
update permission.

No file without a row, and no row without a file:
- an upload streams to a pending key; the row is inserted and committed; then the file is
  promoted to its final key. A failure before the commit deletes the pending file. A crash
  leaves a pending file: with its row the sweep promotes it (reads find it pending meanwhile),
  without one, once older than the grace period, the sweep deletes it.
- a delete removes the row (and publishes) in its transaction, then the file after the commit;
  a file whose delete failed has no row, and the sweep deletes it.

A documentable is soft-deleted, so its documents are kept (a restore brings them back) but
are not found while it is deleted: they go with it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import anyio
from sqlalchemy.ext.asyncio import AsyncSession

from assets.bootstrap import Collaborators
from assets.errors import AssetNotFound, DocumentEmpty, DocumentNotFound, DocumentRequired, EntityNotFound
from assets.events import published
from assets.repositories import asset_queries, entity_queries
from assets.repositories import documents as records
from assets.repositories.document_store import (
    FINAL,
    PENDING,
    MissingFile,
    StoredFile,
    final_key,
    pending_key,
)
from assets.repositories.documents import Document
from assets.services.territories import grants_of
from proximity.auth.claims import Claims
from proximity.background import stop_requested
from proximity.db.columns import now
from proximity.errors import ValidationFailed
from proximity.http.multipart_form import Event, PartStart, file_chunks, safe_filename, text_field

log = logging.getLogger(__name__)

FILE_FIELD = "document"
MAX_NAME = 255
MAX_DESCRIPTION = 5000
SWEEP_BATCH = 500


# The permission catalogue's resource of each kind of documentable.
RESOURCES = {"asset": "assets", "entity": "entities"}


@dataclass(frozen=True, slots=True)
class Documentable:
    kind: str  # "asset" | "entity"
    id: uuid.UUID

    @property
    def view(self) -> str:
        return f"{RESOURCES[self.kind]}.view"

    @property
    def update(self) -> str:
        return f"{RESOURCES[self.kind]}.update"


async def _check_live(session: AsyncSession, claims: Claims, target: Documentable, tag: str) -> None:
    """The documentable is live, and the caller holds ``tag`` on it: documents follow their
    asset or entity (its datazones), and a caller never granted the tag learns nothing."""
    grants = await grants_of(session, claims)
    grants.require_granted(tag)
    zones: list[uuid.UUID]
    if target.kind == "asset":
        asset = await asset_queries.asset(session, claims.tenant_id, target.id)
        if asset is None or asset.deleted_at is not None:
            raise AssetNotFound()
        zones = asset.datazone_ids
    else:
        entity = await entity_queries.entity(session, claims.tenant_id, target.id)
        if entity is None or entity.deleted_at is not None:
            raise EntityNotFound()
        zones = entity.datazone_ids
    grants.require(tag, zones)


async def list_documents(ctx: Collaborators, claims: Claims, target: Documentable) -> list[Document]:
    async with ctx.snapshot() as session:
        await _check_live(session, claims, target, target.view)
        return list(await records.documents_of(session, claims.tenant_id, target.kind, target.id))


async def get_document(
    ctx: Collaborators, claims: Claims, target: Documentable, document_id: uuid.UUID
) -> Document:
    async with ctx.snapshot() as session:
        await _check_live(session, claims, target, target.view)
        found = await records.document(session, claims.tenant_id, target.kind, target.id, document_id)
    if found is None:
        raise DocumentNotFound()
    return found


async def open_document(
    ctx: Collaborators, claims: Claims, target: Documentable, document_id: uuid.UUID
) -> tuple[Document, AsyncIterator[bytes]]:
    found = await get_document(ctx, claims, target, document_id)
    try:
        return found, await ctx.documents.open(found.storage_key)
    except MissingFile:
        pass
    try:
        # Committed but not promoted yet (the promotion failed; the sweep will do it).
        return found, await ctx.documents.open(pending_key(found.id))
    except MissingFile:
        log.error("document without its file", extra={"document_id": str(found.id)})
        raise DocumentNotFound() from None


@dataclass(frozen=True, slots=True)
class Received:
    stored: StoredFile
    filename: str
    content_type: str
    fields: dict[str, str]


async def _skip(events: AsyncIterator[Event], max_bytes: int) -> None:
    async for _ in file_chunks(events, max_bytes=max_bytes, name="part"):
        pass


async def _receive(ctx: Collaborators, events: AsyncIterator[Event], key: str) -> Received:
    """Stream the form: the ``document`` file part to ``key``, the text fields kept."""
    limit = ctx.settings.document_max_bytes
    stored: StoredFile | None = None
    part: PartStart | None = None
    fields: dict[str, str] = {}
    async for event in events:
        if not isinstance(event, PartStart):
            continue
        if event.name == FILE_FIELD and event.filename is not None:
            if stored is not None:
                raise ValidationFailed(
                    "Only one 'document' file per upload.", fields={FILE_FIELD: "repeated"}
                )
            stored = await ctx.documents.write(key, file_chunks(events, max_bytes=limit, name=FILE_FIELD))
            part = event
        elif event.filename is None and event.name in ("name", "description"):
            fields[event.name] = await text_field(events, name=event.name)
        else:
            await _skip(events, limit)  # a part we do not read, bounded all the same
    if stored is None or part is None:
        raise DocumentRequired()
    if stored.size == 0:
        raise DocumentEmpty()
    return Received(stored, safe_filename(part.filename or ""), part.content_type, fields)


def _text(fields: dict[str, str], name: str, limit: int) -> str | None:
    value = fields.get(name)
    if value is None:
        return None
    value = value.strip()
    if len(value) > limit:
        raise ValidationFailed(f"{name}: at most {limit} characters.", fields={name: "too long"})
    if "\x00" in value:
        raise ValidationFailed(f"{name}: contains a NUL character.", fields={name: "NUL character"})
    return value


async def add_document(
    ctx: Collaborators, claims: Claims, target: Documentable, events: AsyncIterator[Event]
) -> Document:
    async with ctx.reading() as session:
        # Before reading a byte of the body: nothing is stored for an object that is not there.
        await _check_live(session, claims, target, target.update)
    document_id = uuid.uuid4()
    pending = pending_key(document_id)
    try:
        received = await _receive(ctx, events, pending)
        name = _text(received.fields, "name", MAX_NAME) or received.filename
        description = _text(received.fields, "description", MAX_DESCRIPTION) or ""
        async with ctx.unit_of_work() as uow:
            await _check_live(uow.session, claims, target, target.update)
            found = Document(
                id=document_id,
                tenant_id=claims.tenant_id,
                documentable_type=target.kind,
                documentable_id=target.id,
                name=name,
                description=description,
                filename=received.filename,
                content_type=received.content_type,
                size=received.stored.size,
                checksum=received.stored.checksum,
                storage_key=final_key(claims.tenant_id, document_id),
            )
            uow.session.add(found)
            uow.publish(published.document_created(found))
            await uow.commit()
    except BaseException:
        with anyio.CancelScope(shield=True):
            await ctx.documents.delete(pending)
        raise
    try:
        await ctx.documents.promote(pending, found.storage_key)
    except Exception:
        log.exception("document not promoted; the sweep will", extra={"document_id": str(found.id)})
    return found


@dataclass(frozen=True, slots=True)
class DocumentChange:
    name: str | None = None
    description: str | None = None


async def update_document(
    ctx: Collaborators, claims: Claims, target: Documentable, document_id: uuid.UUID, change: DocumentChange
) -> Document:
    """The name and the description; the file itself is replaced by a new upload."""
    async with ctx.unit_of_work() as uow:
        await _check_live(uow.session, claims, target, target.update)
        found = await records.document(
            uow.session, claims.tenant_id, target.kind, target.id, document_id, for_update=True
        )
        if found is None:
            raise DocumentNotFound()
        before = (found.name, found.description)
        if change.name is not None:
            found.name = change.name or found.filename
        if change.description is not None:
            found.description = change.description
        if (found.name, found.description) != before:
            found.version += 1
            found.updated_at = now()
            uow.publish(published.document_updated(found))
        await uow.commit()
    return found


async def delete_document(
    ctx: Collaborators, claims: Claims, target: Documentable, document_id: uuid.UUID
) -> None:
    async with ctx.unit_of_work() as uow:
        await _check_live(uow.session, claims, target, target.update)
        found = await records.document(
            uow.session, claims.tenant_id, target.kind, target.id, document_id, for_update=True
        )
        if found is None:
            raise DocumentNotFound()
        found.version += 1
        uow.publish(published.document_deleted(found))
        await uow.session.delete(found)
        await uow.commit()
    try:
        await ctx.documents.delete(found.storage_key)
        await ctx.documents.delete(pending_key(found.id))
    except Exception:
        log.exception("document file not deleted; the sweep will", extra={"document_id": str(found.id)})


async def image_ids(ctx: Collaborators, tenant_id: uuid.UUID, target: Documentable) -> list[uuid.UUID]:
    """The documentable's image documents (``include[]=images``), oldest first."""
    async with ctx.reading() as session:
        return [d.id for d in await records.images_of(session, tenant_id, target.kind, target.id)]


@dataclass(frozen=True, slots=True)
class Swept:
    promoted: int = 0
    deleted: int = 0


def _document_id(key: str) -> uuid.UUID | None:
    with contextlib.suppress(ValueError):
        return uuid.UUID(key.rsplit("/", 1)[-1])
    return None


async def sweep(ctx: Collaborators, *, at: datetime | None = None) -> Swept:
    """Make the store agree with the rows: a pending file with a row is promoted; one without,
    older than the grace period (an upload still streaming is younger), deleted; a final file
    without a row (its delete failed after the commit) deleted."""
    moment = at or datetime.now(UTC)
    grace = timedelta(seconds=ctx.settings.document_pending_grace_seconds)
    held = [item async for item in ctx.documents.held()]
    promoted = deleted = 0
    for start in range(0, len(held), SWEEP_BATCH):
        batch = held[start : start + SWEEP_BATCH]
        ids = {found for item in batch if (found := _document_id(item.key)) is not None}
        async with ctx.reading() as session:
            rows = {d.id: d for d in await records.documents_by_id(session, ids)}
        for item in batch:
            document_id = _document_id(item.key)
            row = rows.get(document_id) if document_id else None
            if item.key.startswith(f"{PENDING}/"):
                if row is not None:
                    with contextlib.suppress(MissingFile):  # its upload promoted it meanwhile
                        await ctx.documents.promote(item.key, row.storage_key)
                        promoted += 1
                elif moment - item.written_at > grace:
                    await ctx.documents.delete(item.key)
                    deleted += 1
            elif item.key.startswith(f"{FINAL}/") and (row is None or row.storage_key != item.key):
                await ctx.documents.delete(item.key)
                deleted += 1
    return Swept(promoted, deleted)


async def sweep_forever(ctx: Collaborators, interval_seconds: float) -> None:
    """The sweep at start and then every interval, in each replica: its steps are idempotent
    (a promote or delete already done by another is skipped), so replicas need no leader."""
    while not stop_requested():
        try:
            swept = await sweep(ctx)
            if swept.promoted or swept.deleted:
                log.info("documents swept", extra={"promoted": swept.promoted, "deleted": swept.deleted})
        except Exception:
            if stop_requested():
                return
            log.exception("document sweep failed")
        await asyncio.sleep(interval_seconds)


def start_sweep(ctx: Collaborators) -> asyncio.Task[None]:
    task = asyncio.create_task(
        sweep_forever(ctx, ctx.settings.document_sweep_interval_seconds), name="document-sweep"
    )
    ctx.runtime.tasks.append(task)
    return task
