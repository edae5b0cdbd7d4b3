"""The document store on an S3-compatible bucket (AWS S3, MinIO, Ceph...), through the minio
client. minio is synchronous: each call runs in a worker thread, and an upload's stream is
pulled from the event loop part by part (one 5 MiB part in memory at a time, the smallest S3
allows), so a file is never held whole. A failed upload aborts its multipart upload."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterable, AsyncIterator, Iterator
from typing import Any, BinaryIO, cast

import anyio
import anyio.from_thread
import anyio.to_thread
from minio import Minio
from minio.commonconfig import CopySource
from minio.error import S3Error

from assets.repositories.document_store import CHUNK_BYTES, MissingFile, StoredFile, StoredKey, checked

PART_BYTES = 5 * 1024 * 1024
_MISSING = ("NoSuchKey", "NoSuchObject")


class _PulledStream:
    """A file-like ``read`` for minio's thread over the event loop's async stream."""

    def __init__(self, chunks: AsyncIterable[bytes]) -> None:
        self._chunks = aiter(chunks)
        self._buffer = bytearray()
        self._done = False
        self.digest = hashlib.sha256()
        self.size = 0

    async def _next(self) -> bytes | None:
        try:
            return await anext(self._chunks)
        except StopAsyncIteration:
            return None

    def read(self, size: int = -1) -> bytes:
        while not self._done and (size < 0 or len(self._buffer) < size):
            chunk = anyio.from_thread.run(self._next)
            if chunk is None:
                self._done = True
            else:
                self.digest.update(chunk)
                self.size += len(chunk)
                self._buffer += chunk
        cut = len(self._buffer) if size < 0 else min(size, len(self._buffer))
        out = bytes(self._buffer[:cut])
        del self._buffer[:cut]
        return out


class S3Store:
    def __init__(self, client: Minio, bucket: str) -> None:
        self.client = client
        self.bucket = bucket

    async def ensure_bucket(self) -> None:
        if not await anyio.to_thread.run_sync(self.client.bucket_exists, self.bucket):
            await anyio.to_thread.run_sync(self.client.make_bucket, self.bucket)

    async def write(self, key: str, chunks: AsyncIterable[bytes]) -> StoredFile:
        stream = _PulledStream(chunks)

        def put() -> None:
            data = cast(BinaryIO, stream)  # minio only calls ``read``
            self.client.put_object(self.bucket, checked(key), data, length=-1, part_size=PART_BYTES)

        try:
            await anyio.to_thread.run_sync(put)
        except BaseException:
            with anyio.CancelScope(shield=True):
                await self.delete(key)
            raise
        return StoredFile(key, stream.size, stream.digest.hexdigest())

    async def open(self, key: str) -> AsyncIterator[bytes]:
        try:
            response: Any = await anyio.to_thread.run_sync(self.client.get_object, self.bucket, checked(key))
        except S3Error as exc:
            if exc.code in _MISSING:
                raise MissingFile(key) from None
            raise
        pieces: Iterator[bytes] = response.stream(CHUNK_BYTES)

        async def chunks() -> AsyncIterator[bytes]:
            try:
                while (chunk := await anyio.to_thread.run_sync(next, pieces, None)) is not None:
                    yield chunk
            finally:
                response.close()
                response.release_conn()

        return chunks()

    async def promote(self, source: str, target: str) -> None:
        def copy() -> None:
            self.client.copy_object(self.bucket, checked(target), CopySource(self.bucket, checked(source)))
            self.client.remove_object(self.bucket, source)

        try:
            await anyio.to_thread.run_sync(copy)
        except S3Error as exc:
            if exc.code in _MISSING:
                raise MissingFile(source) from None
            raise

    async def delete(self, key: str) -> None:
        await anyio.to_thread.run_sync(self.client.remove_object, self.bucket, checked(key))

    async def held(self) -> AsyncIterator[StoredKey]:
        def listed() -> list[Any]:
            return list(self.client.list_objects(self.bucket, recursive=True))

        for item in await anyio.to_thread.run_sync(listed):
            if item.object_name and item.last_modified:
                yield StoredKey(item.object_name, item.last_modified)
