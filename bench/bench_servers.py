"""The processes a benchmark measures: one of our apps under uvicorn in a child process (as
``make run`` serves it, so the figures include the HTTP stack), and the stand-in identity
(JWKS and client keys) in a thread of the benchmark's own process."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

import httpx
import uvicorn

from proximity.devstack.launcher import free_port
from proximity.testing.stand_in_identity import ClientKeys, Signer, identity_app

REPO = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def stand_in_identity(signer: Signer, keys: ClientKeys) -> Iterator[str]:
    """What a service asks identity for (its JWKS, client keys), served from a thread."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(identity_app(signer, keys), lifespan="off", log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[sock])), daemon=True)
    thread.start()
    try:
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("the stand-in identity did not start")
            time.sleep(0.02)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def checked_by(identity_url: str) -> dict[str, str]:
    """The settings that make a service check its callers with ``identity_url``."""
    return {"IDENTITY_URL": identity_url, "JWKS_URL": f"{identity_url}/.well-known/jwks.json"}


@contextlib.contextmanager
def served(name: str, factory: str, settings: Mapping[str, str], log: Path) -> Iterator[str]:
    """``factory`` (``package.app:create_app``) on a free port, with ``settings`` over this
    process's environment, until it answers ``/health``; its URL. Stopped on exit."""
    port = free_port()
    env = {**os.environ, "LOG_LEVEL": "warning", **settings}
    command = [
        sys.executable, "-m", "uvicorn", factory, "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=REPO, env=env, stderr=log.open("ab"), stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode}: {log.read_text()[-2000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not start in time")
            time.sleep(0.25)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
