"""The after-commit delivery loop (``proximity.delivery``) with a scripted pass: a wake during
a pass is not lost, a full batch goes again at once, a failing pass is retried, and
cancellation stops it even while the pass keeps failing."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from proximity.delivery import DeliveryLoop


async def until(condition: Callable[[], bool], what: str) -> None:
    for _ in range(200):  # 10 s
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{what} did not happen")


async def stop(task: asyncio.Task[None]) -> None:
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_a_wake_during_a_pass_makes_another_pass_without_waiting_for_the_poll() -> None:
    passes: list[int] = []
    loop: DeliveryLoop

    async def deliver() -> bool:
        passes.append(len(passes))
        if len(passes) == 2:
            loop.wake()  # a commit landing while this pass runs
        return False

    loop = DeliveryLoop(deliver, name="test delivery", poll_interval=60)
    task = asyncio.create_task(loop.run())
    await until(lambda: len(passes) == 1, "the first pass")
    loop.wake()
    await until(lambda: len(passes) == 3, "the pass after the wake that came during a pass")
    await stop(task)


async def test_a_full_batch_goes_again_at_once() -> None:
    remaining = [True, True, False]
    calls = 0

    async def deliver() -> bool:
        nonlocal calls
        calls += 1
        return remaining.pop(0) if remaining else False

    loop = DeliveryLoop(deliver, name="test delivery", poll_interval=60)
    task = asyncio.create_task(loop.run())
    await until(lambda: calls == 3, "three passes in a row")
    await stop(task)


async def test_a_failing_pass_is_retried_and_cancellation_still_stops_the_loop() -> None:
    calls = 0

    async def deliver() -> bool:
        nonlocal calls
        calls += 1
        raise ConnectionError("the database is away")

    loop = DeliveryLoop(deliver, name="test delivery", poll_interval=0.01)
    task = asyncio.create_task(loop.run())
    await until(lambda: calls >= 3, "retries after failures")
    await stop(task)
