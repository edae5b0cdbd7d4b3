"""Launching the dev stack as a child process on free ports: for end-to-end tests and benchmarks,
which need the system exactly as ``make run`` starts it, without disturbing one already running."""

from __future__ import annotations

import contextlib
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx

from proximity.devstack.bus import Bus, read_access
from proximity.devstack.stack import load_stack


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class LaunchedStack:
    urls: dict[str, str]
    logs: Path
    env: dict[str, str]
    # Where the stack's SMTP sink keeps each message (unless ``SMTP_HOST`` named another server).
    mail: Path
    # The stack's own NATS (when ``NATS_URL`` named none): its store, log and access file.
    nats_dir: Path | None = None

    def bus(self) -> Bus | None:
        """The stack's NATS and its users' passwords; None when it runs on ``NATS_URL``'s."""
        return read_access(self.nats_dir) if self.nats_dir else None

    def nats_log(self) -> str:
        """The log of the stack's own nats-server (permission violations are logged there)."""
        if self.nats_dir is None:
            return ""
        return (self.nats_dir / "nats-server.log").read_text(errors="replace")

    @property
    def gateway(self) -> str:
        return self.urls["gateway"]

    @property
    def identity(self) -> str:
        return self.urls["identity"]

    def log_of(self, service: str) -> str:
        return (self.logs / f"{service}.log").read_text(errors="replace")


@contextlib.contextmanager
def launched_stack(
    env: Mapping[str, str], work_dir: Path, *, repo: Path, timeout: float = 120
) -> Iterator[LaunchedStack]:
    """Start ``python -m proximity.devstack run`` from ``repo`` and wait for the gateway's /health."""
    stack_file = repo / "deploy" / "dev-stack.toml"
    ports = {spec.name: free_port() for spec in load_stack(stack_file)}
    child_env = {**env, **{f"{name.upper()}_PORT": str(port) for name, port in ports.items()}}
    logs, data = work_dir / "logs", work_dir / "data"
    command = [
        sys.executable, "-m", "proximity.devstack", "run",
        "--stack", str(stack_file), "--data-dir", str(data), "--log-dir", str(logs),
    ]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=repo, env=child_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    nats_dir = None if child_env.get("NATS_URL") else data / "nats"
    stack = LaunchedStack(urls, logs, child_env, mail=data / "mail", nats_dir=nats_dir)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                output = process.stdout.read().decode(errors="replace") if process.stdout else ""
                raise RuntimeError(f"the stack exited with {process.returncode}:\n{output}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{stack.gateway}/health", timeout=1).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("the stack did not become ready in time")
            time.sleep(0.25)
        yield stack
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(90)  # services, then PostgreSQL, stop in turn
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
