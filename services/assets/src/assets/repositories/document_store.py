"""Where documents' bytes are kept: the one small port the use cases write through, and its
filesystem store (the default, under the service's data directory). The S3-compatible store is
``s3_document_store``.

Keys are ``pending/<document id>`` while an upload's row is not committed yet, then
``documents/<tenant id>/<document id>``; the sweep tells the two apart (``services.documents``).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

import anyio

CHUNK_BYTES = 64 * 1024
PENDING = "pending"
FINAL = "documents"
_KEY = re.compile(r"^[a-z]+(/[0-9a-f-]{36}){1,2}$")


@dataclass(frozen=True, slots=True)
class StoredFile:
    key: str
    size: int
    checksum: str  # sha256, hex


@dataclass(frozen=True, slots=True)
class StoredKey:
    key: str
    written_at: datetime


class MissingFile(Exception):
    """No file at the key."""


class DocumentStore(Protocol):
    async def write(self, key: str, chunks: AsyncIterable[bytes]) -> StoredFile:
        """Store the stream at ``key``; if the stream fails, nothing is left at ``key`` and
        the stream's error is raised."""
        ...

    async def open(self, key: str) -> AsyncIterator[bytes]:
        """The file's bytes in chunks; ``MissingFile`` (before any chunk) when there is none."""
        ...

    async def promote(self, source: str, target: str) -> None:
        """Move a file to its final key."""
        ...

    async def delete(self, key: str) -> None:
        """Delete the file; none at ``key`` is fine."""
        ...

    def held(self) -> AsyncIterator[StoredKey]:
        """Every file held, for the sweep."""
        ...


def pending_key(document_id: object) -> str:
    return f"{PENDING}/{document_id}"


def final_key(tenant_id: object, document_id: object) -> str:
    return f"{FINAL}/{tenant_id}/{document_id}"


def checked(key: str) -> str:
    """Only keys this module makes: a key is never a path a caller chose."""
    if not _KEY.fullmatch(key):
        raise ValueError(f"not a document key: {key!r}")
    return key


class FileSystemStore:
    """Files under ``root``, a key a relative path. Uploads write to their pending key, so a
    file being written is never at a final key; a write that fails deletes what it wrote, and
    one cut short by a crash is left pending, for the sweep."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        return self.root / checked(key)

    async def write(self, key: str, chunks: AsyncIterable[bytes]) -> StoredFile:
        target = self._path(key)
        await anyio.Path(target.parent).mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        try:
            async with await anyio.open_file(target, "wb") as out:
                async for chunk in chunks:
                    digest.update(chunk)
                    size += len(chunk)
                    await out.write(chunk)
        except BaseException:
            with anyio.CancelScope(shield=True):
                await anyio.Path(target).unlink(missing_ok=True)
            raise
        return StoredFile(key, size, digest.hexdigest())

    async def open(self, key: str) -> AsyncIterator[bytes]:
        try:
            handle = await anyio.open_file(self._path(key), "rb")
        except FileNotFoundError:
            raise MissingFile(key) from None

        async def chunks() -> AsyncIterator[bytes]:
            async with handle:
                while chunk := await handle.read(CHUNK_BYTES):
                    yield chunk

        return chunks()

    async def promote(self, source: str, target: str) -> None:
        destination = self._path(target)
        await anyio.Path(destination.parent).mkdir(parents=True, exist_ok=True)
        try:
            await anyio.to_thread.run_sync(os.replace, self._path(source), destination)
        except FileNotFoundError:
            raise MissingFile(source) from None

    async def delete(self, key: str) -> None:
        await anyio.Path(self._path(key)).unlink(missing_ok=True)

    async def held(self) -> AsyncIterator[StoredKey]:
        root = anyio.Path(self.root)
        if not await root.exists():
            return
        async for path in root.rglob("*"):
            if not await path.is_file():
                continue
            key = path.relative_to(root).as_posix()
            if _KEY.fullmatch(key):
                modified = datetime.fromtimestamp((await path.stat()).st_mtime, UTC)
                yield StoredKey(key, modified)
