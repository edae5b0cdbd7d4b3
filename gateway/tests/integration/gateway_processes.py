"""ASGI apps as their own uvicorn processes, started with the dev stack's command line (the
images' ``--http`` protocol included): for faults that only a real process shows."""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
import time
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import IO

import httpx

from proximity.devstack.launcher import free_port
from proximity.devstack.stack import ServiceSpec, uvicorn_command

HERE = Path(__file__).resolve().parent


@contextlib.asynccontextmanager
async def uvicorn_process(
    app: str, env: Mapping[str, str] | None = None, *, start_within: float = 60
) -> AsyncIterator[str]:
    """``app`` (``module:factory``, importable from the repository or from this folder) in a
    process of its own; its base URL once ``/health`` answers. Stopped on exit."""
    spec = ServiceSpec(name="process", app=app, port=free_port(), database=False, migrations=None, seed=None)
    python_path = os.pathsep.join(filter(None, [str(HERE), os.environ.get("PYTHONPATH")]))
    child_env = {**os.environ, "LOG_LEVEL": "warning", **(env or {}), "PYTHONPATH": python_path}
    with tempfile.TemporaryFile() as output:
        command = uvicorn_command(spec)
        process = await asyncio.create_subprocess_exec(
            *command, env=child_env, stdout=output, stderr=asyncio.subprocess.STDOUT
        )
        try:
            await _until_healthy(spec.url, process, start_within, output)
            yield spec.url
        finally:
            if process.returncode is None:
                process.terminate()
                try:
                    await asyncio.wait_for(process.wait(), 10)
                except TimeoutError:
                    process.kill()
                    await process.wait()


async def _until_healthy(
    url: str, process: asyncio.subprocess.Process, within: float, output: IO[bytes]
) -> None:
    deadline = time.monotonic() + within
    async with httpx.AsyncClient(timeout=2) as http:
        while True:
            if process.returncode is not None:
                output.seek(0)
                raise RuntimeError(f"{url} exited with {process.returncode}:\n{output.read().decode()}")
            with contextlib.suppress(httpx.HTTPError):
                if (await http.get(f"{url}/health")).status_code == 200:
                    return
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not start")
            await asyncio.sleep(0.1)
