"""A stack whose parts a test can kill and restart one by one: its own nats-server (same port
and store directory after a restart, like a broker pod coming back), and each service as its
own uvicorn process started as ``make run`` starts it."""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from proximity.devstack.bus import Bus
from proximity.devstack.embedded import drop_database, nats_server_binary, write_private
from proximity.devstack.launcher import free_port
from proximity.devstack.stack import (
    ServiceSpec,
    load_stack,
    prepare_databases,
    seed,
    service_environment,
    uvicorn_command,
    wait_ready,
)
from proximity.events.bus_permissions import ADMIN, users_of
from proximity.events.nats_config import authorization

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Broker:
    """A nats-server with JetStream on a fixed port, with a user per service as every stack
    runs it: killed, it comes back where it was, with the same users and store."""

    store: Path
    services: list[str]
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    passwords: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    @property
    def bus(self) -> Bus:
        return Bus(self.url, self.passwords)

    @property
    def admin(self) -> tuple[str, str]:
        return ADMIN, self.passwords[ADMIN]

    def start(self) -> None:
        self.store.mkdir(parents=True, exist_ok=True)
        if not self.passwords:
            self.passwords = {user: secrets.token_urlsafe(24) for user in users_of(self.services)}
        config = write_private(
            self.store / "nats-server.conf", authorization(list(self.passwords), self.passwords)
        )
        command = [
            str(nats_server_binary()), "-c", str(config), "-a", "127.0.0.1", "-p", str(self.port),
            "-js", "-sd", str(self.store),
        ]  # fmt: skip
        log = open(self.store / "nats-server.log", "ab")  # noqa: SIM115 - owned by the child
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                if self._answers():
                    return
            if self.process.poll() is not None:
                raise RuntimeError("nats-server exited while starting")
            time.sleep(0.05)
        raise RuntimeError("nats-server did not start")

    def _answers(self) -> bool:
        with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
            return sock.recv(4).startswith(b"INFO")

    def kill(self) -> None:
        """SIGKILL: no goodbye to the clients, as when a broker's node dies."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)


@dataclass
class ChaosStack:
    postgres_url: str
    work: Path
    prefix: str
    broker: Broker
    specs: list[ServiceSpec] = field(default_factory=list)
    databases: dict[str, str] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def url(self, service: str) -> str:
        return next(spec.url for spec in self.specs if spec.name == service)

    def log_of(self, service: str) -> str:
        return (self.work / f"{service}.log").read_text(errors="replace")

    def start(self, service: str) -> None:
        spec = next(s for s in self.specs if s.name == service)
        log = open(self.work / f"{service}.log", "ab")  # noqa: SIM115 - owned by the child
        env = service_environment(spec, self.specs, self.databases, self.broker.bus)
        self.processes[service] = subprocess.Popen(uvicorn_command(spec), env=env, stdout=log, stderr=log)
        wait_ready(spec, self.processes[service], timeout=90)

    def stop(self, service: str) -> None:
        process = self.processes.pop(service)
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def restart(self, service: str) -> None:
        self.stop(service)
        self.start(service)


@contextlib.contextmanager
def chaos_stack(postgres_url: str, work: Path, run_id: str) -> Iterator[ChaosStack]:
    prefix = f"chaos_{run_id}_"
    stack_file = REPO / "deploy" / "dev-stack.toml"
    ports = {f"{spec.name.upper()}_PORT": str(free_port()) for spec in load_stack(stack_file)}
    saved = {name: os.environ.get(name) for name in (*ports, "DB_PREFIX", "DATABASE_URL", "NATS_URL")}
    os.environ.update({**ports, "DB_PREFIX": prefix})
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("NATS_URL", None)
    specs = load_stack(stack_file)
    broker = Broker(work / "nats", [spec.name for spec in specs])
    stack = ChaosStack(postgres_url, work, prefix, broker, specs=specs)
    try:
        broker.start()
        stack.databases = prepare_databases(stack.specs, postgres_url, broker.bus)
        seed(stack.specs, stack.databases, broker.bus)
        for spec in stack.specs:
            stack.start(spec.name)
        yield stack
    finally:
        for name in list(stack.processes):
            with contextlib.suppress(Exception):
                stack.stop(name)
        broker.kill()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        for spec in stack.specs:
            if spec.database:
                with contextlib.suppress(Exception):
                    drop_database(postgres_url, f"{prefix}{spec.name}")
