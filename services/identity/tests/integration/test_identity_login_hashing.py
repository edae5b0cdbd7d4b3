"""Login while Argon2 runs: no connection and no row lock are held (a pool of one still
serves others, and the credential row can be locked at once), and the hashing workers take a
bounded queue: the sign-in past it is refused at once with 503, not queued.

The Argon2 check is held in its worker thread at a gate the test opens: the test sees the
moment a password is being checked without measuring any time."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import text

from identity.config import IdentitySettings

from ..conftest import eventually, log_in, new_account, running


class HeldVerification:
    """Every Argon2 verification waits in its thread until ``release()``."""

    def __init__(self) -> None:
        self.started = threading.Semaphore(0)
        self._gate = threading.Event()

    def release(self) -> None:
        self._gate.set()

    async def wait_started(self) -> None:
        assert await asyncio.to_thread(self.started.acquire, True, 10), "no password check started"


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldVerification]:
    holding = HeldVerification()
    original = PasswordHasher.verify

    def verify(self: PasswordHasher, hash: Any, password: Any) -> bool:
        holding.started.release()
        holding._gate.wait(30)
        return original(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", verify)
    yield holding
    holding.release()


async def test_no_connection_or_row_lock_is_held_while_the_password_is_checked(
    settings: IdentitySettings, held: HeldVerification
) -> None:
    one_connection = settings.model_copy(
        update={"database_pool_size": 1, "database_max_overflow": 0, "events_enabled": False}
    )
    async with running(one_connection) as identity:
        account = await new_account(identity.wired)
        login = asyncio.create_task(log_in(identity.http, account, password="wrong"))
        await held.wait_started()

        # The pool's only connection is free, and the credential row is not locked.
        async with identity.wired.unit_of_work() as uow:
            locked = await uow.session.execute(
                text(
                    "SELECT failed_attempts FROM password_credentials WHERE user_id = :id FOR UPDATE NOWAIT"
                ),
                {"id": account.user_id},
            )
            attempts_meanwhile = locked.scalar_one()
        still_checking = not login.done()

        held.release()
        answer = await login
        async with identity.wired.reading() as session:
            attempts_after = (
                await session.execute(
                    text("SELECT failed_attempts FROM password_credentials WHERE user_id = :id"),
                    {"id": account.user_id},
                )
            ).scalar_one()

    assert still_checking
    assert attempts_meanwhile == 0
    assert answer.status_code == 401
    assert attempts_after == 1


async def test_sign_ins_past_the_hashing_queue_answer_503_at_once(
    settings: IdentitySettings, held: HeldVerification
) -> None:
    one_worker = settings.model_copy(update={"password_hash_workers": 1, "password_hash_queue": 1})
    async with running(one_worker) as identity:
        account = await new_account(identity.wired)
        hashing = identity.wired.passwords
        waiting = [asyncio.create_task(log_in(identity.http, account, password="wrong")) for _ in range(2)]
        await held.wait_started()  # one running in the worker
        await eventually(lambda: hashing.admitted == 2)  # and one waiting for it

        refused = await log_in(identity.http, account, password="wrong")
        others_waiting = not any(task.done() for task in waiting)

        held.release()
        answers = await asyncio.gather(*waiting)
        await eventually(lambda: hashing.admitted == 0)
        after = await log_in(identity.http, account)

    assert others_waiting  # refused while the queue was full, not after it drained
    assert refused.status_code == 503, refused.text
    assert refused.headers["retry-after"] == "1"
    assert refused.json() == {
        "errors": [
            {"code": "eServiceUnavailable", "message": "Too many sign-ins at once; try again shortly."}
        ]
    }
    assert [a.status_code for a in answers] == [401, 401]
    assert after.status_code == 200
