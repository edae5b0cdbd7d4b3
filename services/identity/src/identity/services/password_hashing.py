"""Argon2id hashing and verification on a bounded pool of worker threads.

Each hash holds ``memory_cost`` (64 MiB with argon2-cffi's parameters) for its duration, so
the number of hashes running at once is what bounds the process's memory: the pool has a
fixed number of threads (argon2-cffi releases the GIL while hashing), sized from the
container's memory limit, and a bounded number of callers may wait for one. Past that, the
caller is told at once to retry (``PasswordHashingBusy``, 503) instead of queueing for
seconds behind a burst of logins while its connection and memory wait with it.

Nothing here holds a database connection: callers read what they verify against first and
record the outcome afterwards (``identity.services.sessions``).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import weakref
from collections.abc import Callable
from typing import TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from identity.config import IdentitySettings
from identity.errors import PasswordHashingBusy
from identity.services.container_limits import cpu_count, memory_limit_bytes

HASHER = PasswordHasher()  # Argon2id with the library's recommended (RFC 9106 low-memory) parameters
MEMORY_PER_HASH = HASHER.memory_cost * 1024  # memory_cost is in KiB
# Verified when no user matches, so an unknown email costs as much time as a wrong password.
_DUMMY_HASH = HASHER.hash("not-a-real-password")
# What the service needs besides hashing (interpreter, pools, caches, requests in flight)
# stays outside the budget the workers may use.
_HEADROOM = 0.5

T = TypeVar("T")


def default_workers(cpus: int, memory_limit: int | None) -> int:
    """One worker per CPU, fewer when the memory limit cannot hold that many hashes at once
    with headroom to spare; at least one."""
    if memory_limit is None:
        return max(1, cpus)
    return max(1, min(cpus, int(memory_limit * _HEADROOM) // MEMORY_PER_HASH))


def _verify(password_hash: str | None, password: str) -> bool:
    try:
        return HASHER.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


class PasswordHashing:
    """``workers`` hashes at a time; up to ``queue`` more callers wait; the next is refused."""

    def __init__(self, *, workers: int, queue: int) -> None:
        self.workers = workers
        self._limit = workers + queue
        self._admitted = 0
        self._executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=workers, thread_name_prefix="argon2"
        )
        # An app that is dropped without closing (a test's) still lets its threads end.
        self._shutdown = weakref.finalize(self, self._executor.shutdown, wait=False, cancel_futures=True)

    @classmethod
    def for_settings(cls, settings: IdentitySettings) -> PasswordHashing:
        workers = settings.password_hash_workers or default_workers(cpu_count(), memory_limit_bytes())
        return cls(workers=workers, queue=settings.password_hash_queue)

    @property
    def admitted(self) -> int:
        """Hashes running or waiting for a worker."""
        return self._admitted

    async def _run(self, work: Callable[..., T], *args: object) -> T:
        if self._admitted >= self._limit:
            raise PasswordHashingBusy()
        loop = asyncio.get_running_loop()
        self._admitted += 1
        submitted = self._executor.submit(work, *args)
        # Released when the work itself ends (or is dropped before it started), not when the
        # caller stops waiting: a cancelled request's hash still occupies its worker.
        submitted.add_done_callback(lambda _: self._release_from_any_thread(loop))
        return await asyncio.wrap_future(submitted)

    def _release_from_any_thread(self, loop: asyncio.AbstractEventLoop) -> None:
        with contextlib.suppress(RuntimeError):  # the loop has closed: nobody counts any more
            loop.call_soon_threadsafe(self._release)

    def _release(self) -> None:
        self._admitted -= 1

    async def hash(self, password: str) -> str:
        return await self._run(HASHER.hash, password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """``password_hash=None`` spends the same time and returns False."""
        return await self._run(_verify, password_hash, password)

    def close(self) -> None:
        self._shutdown()


async def hash_for_provisioning(password: str) -> str:
    """For the demo seed and operators' tooling, which run outside a service and its workers."""
    return await asyncio.to_thread(HASHER.hash, password)
