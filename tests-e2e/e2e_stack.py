"""Starting the whole system as `make run` does: the dev stack in its own process, talking to
real PostgreSQL and NATS, every service and the gateway as real uvicorn processes."""

from __future__ import annotations

import contextlib
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parent.parent
DEMO_KEY = "dev-client-key"
ADMIN = {"email": "admin@example.com", "password": "admin-password"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class Stack:
    gateway: str
    identity: str
    logs: Path
    env: dict[str, str]

    def log_of(self, service: str) -> str:
        return (self.logs / f"{service}.log").read_text(errors="replace")


@contextlib.contextmanager
def running_stack(env: dict[str, str], tmp: Path, *, timeout: float = 120) -> Iterator[Stack]:
    ports = {"GATEWAY_PORT": str(free_port()), "IDENTITY_PORT": str(free_port())}
    env = {**env, **ports}
    logs = tmp / "logs"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "proximity.devstack",
            "run",
            "--data-dir",
            str(tmp / "data"),
            "--log-dir",
            str(logs),
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    stack = Stack(
        f"http://127.0.0.1:{ports['GATEWAY_PORT']}", f"http://127.0.0.1:{ports['IDENTITY_PORT']}", logs, env
    )
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                output = process.stdout.read().decode() if process.stdout else ""
                pytest.fail(f"the stack exited with {process.returncode}:\n{output}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{stack.gateway}/health", timeout=1).status_code == 200:
                    break
            if time.monotonic() > deadline:
                pytest.fail("the stack did not become ready")
            time.sleep(0.25)
        yield stack
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def log_in(gateway: httpx.Client, email: str, password: str, key: str = DEMO_KEY) -> httpx.Response:
    return gateway.post(
        "/auth/login", headers={"X-Client-Key": key}, json={"email": email, "password": password}
    )


def admin_token(gateway: httpx.Client) -> dict[str, str]:
    response = log_in(gateway, ADMIN["email"], ADMIN["password"])
    assert response.status_code == 200, response.text
    data: dict[str, str] = response.json()["data"]
    return data
