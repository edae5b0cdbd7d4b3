"""The development stack: what ``make run`` and ``make migrate`` do, and what e2e tests start.

Reads ``deploy/dev-stack.toml``; uses the PostgreSQL and NATS named by ``DATABASE_URL`` /
``NATS_URL`` or starts embedded ones under the data directory; creates one database per
service, migrates it, seeds, starts every service as its own uvicorn process and waits until
each is ready. Ctrl-C (or SIGTERM) stops every process it started.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import httpx

from proximity.devstack.bus import Bus, authenticated_nats
from proximity.devstack.embedded import embedded_postgres, ensure_database
from proximity.devstack.smtp_sink import smtp_sink
from proximity.http.server_protocol import HTTP_PROTOCOL


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    app: str
    port: int
    database: bool
    migrations: str | None
    seed: str | None
    # Development-only settings of this process (``[service.env]``); the caller's own
    # environment wins over them.
    env: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def load_stack(path: Path) -> list[ServiceSpec]:
    raw: dict[str, Any] = tomllib.loads(path.read_text())
    specs = []
    for entry in raw["service"]:
        name = entry["name"]
        port = int(os.environ.get(f"{name.upper()}_PORT", entry["port"]))
        specs.append(
            ServiceSpec(
                name=name,
                app=entry["app"],
                port=port,
                database=bool(entry.get("database", False)),
                migrations=entry.get("migrations"),
                seed=entry.get("seed"),
                env={str(k): str(v) for k, v in entry.get("env", {}).items()},
            )
        )
    return specs


def say(message: str) -> None:
    print(f"[devstack] {message}", file=sys.stderr, flush=True)


@contextlib.contextmanager
def mail_server(data_dir: Path) -> Iterator[tuple[str, int] | None]:
    """The SMTP server the services send to: ``SMTP_HOST`` if given (None: the services read
    it from the environment), else a local sink that keeps every message under ``mail/``."""
    if os.environ.get("SMTP_HOST"):
        yield None
        return
    with smtp_sink(data_dir / "mail") as sink:
        say(f"mail sink on {sink.host}:{sink.port}: every message is kept in {sink.directory}")
        yield sink.host, sink.port


@contextlib.contextmanager
def infrastructure(data_dir: Path, specs: list[ServiceSpec]) -> Iterator[tuple[str, Bus]]:
    """(PostgreSQL server URL, the bus): from the environment, else embedded ones; the
    embedded NATS with a user of its own for each service."""
    with contextlib.ExitStack() as stack:
        database = os.environ.get("DATABASE_URL")
        if not database:
            database = stack.enter_context(embedded_postgres(data_dir / "postgres"))
            say(f"embedded PostgreSQL at {data_dir / 'postgres'}")
        nats = os.environ.get("NATS_URL")
        if nats:
            bus = Bus(nats)
        else:
            bus = stack.enter_context(authenticated_nats(data_dir / "nats", [s.name for s in specs]))
            say(f"embedded NATS with JetStream at {bus.url}, a user per service ({data_dir / 'nats'})")
        yield database, bus


def service_environment(
    spec: ServiceSpec,
    specs: list[ServiceSpec],
    database_urls: dict[str, str],
    nats: str | Bus,
    mail: tuple[str, int] | None = None,
    data_dir: Path | None = None,
) -> dict[str, str]:
    """``nats``: a URL, or the stack's bus (then ``spec``'s own NATS user, if it has one).
    ``data_dir``: the stack's; each service keeps its files (assets' documents) in its own
    folder of it, ``DATA_DIR``, unless the environment names one."""
    bus = nats if isinstance(nats, Bus) else Bus(nats)
    env = {**spec.env, **os.environ}
    env.update(bus.environment(spec.name))
    # Unbuffered: each log line reaches the terminal or log file as it is written.
    env.update({"PORT": str(spec.port), "HOST": "127.0.0.1", "PYTHONUNBUFFERED": "1"})
    env.pop("DATABASE_URL", None)
    if spec.name in database_urls:
        env["DATABASE_URL"] = database_urls[spec.name]
    for other in specs:
        env[f"{other.name.upper()}_URL"] = other.url
    identity = next((s for s in specs if s.name == "identity"), None)
    if identity:
        env["JWKS_URL"] = f"{identity.url}/.well-known/jwks.json"
    if mail is not None:
        env["SMTP_HOST"], env["SMTP_PORT"] = mail[0], str(mail[1])
    if data_dir is not None:
        env.setdefault("DATA_DIR", str(data_dir / spec.name))
    return env


def prepare_databases(specs: list[ServiceSpec], server_url: str, nats: str | Bus) -> dict[str, str]:
    """Create, migrate and seed each service's database; returns their URLs by service."""
    prefix = os.environ.get("DB_PREFIX", "proximity_")
    urls: dict[str, str] = {}
    for spec in specs:
        if not spec.database:
            continue
        urls[spec.name] = ensure_database(server_url, f"{prefix}{spec.name}")
        env = service_environment(spec, specs, urls, nats)
        if spec.migrations:
            say(f"migrating {spec.name}")
            subprocess.run(
                [sys.executable, "-m", "proximity.db.migrate", spec.migrations], env=env, check=True
            )
    return urls


def seed(specs: list[ServiceSpec], urls: dict[str, str], nats: str | Bus) -> None:
    for spec in specs:
        if spec.seed:
            env = service_environment(spec, specs, urls, nats)
            subprocess.run([sys.executable, "-m", spec.seed], env=env, check=True)


def uvicorn_command(spec: ServiceSpec) -> list[str]:
    """How the stack starts ``spec``: as the images do (``--http`` included), on loopback."""
    return [
        sys.executable, "-m", "uvicorn", spec.app, "--factory", "--http", HTTP_PROTOCOL,
        "--host", "127.0.0.1", "--port", str(spec.port), "--no-server-header",
    ]  # fmt: skip


def wait_ready(spec: ServiceSpec, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{spec.name} exited with {process.returncode} while starting")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{spec.url}/ready", timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{spec.name} was not ready within {timeout:.0f}s")


def stop(processes: dict[str, subprocess.Popen[bytes]]) -> None:
    for process in processes.values():
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + 10
    for process in processes.values():
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(max(deadline - time.monotonic(), 0.1))
        if process.poll() is None:
            process.kill()


def banner(gateway: ServiceSpec | None) -> str:
    base = gateway.url if gateway else "http://127.0.0.1:8000"
    return f"""
Proximity is running: {base}
  curl -s {base}/health
  curl -s -X POST {base}/auth/login -H 'X-Client-Key: dev-client-key' \\
       -H 'Content-Type: application/json' \\
       -d '{{"email": "admin@example.com", "password": "admin-password"}}'
  curl -s {base}/users/me -H 'X-Client-Key: dev-client-key' -H "Authorization: $ACCESS_TOKEN"
Ctrl-C stops everything.
"""


class Stopped(Exception):
    """SIGTERM/SIGINT arrived."""


def _raise_stopped(signum: int, frame: object) -> None:
    raise Stopped()


def run(stack_file: Path, data_dir: Path, *, log_dir: Path | None = None) -> int:
    specs = load_stack(stack_file)
    signal.signal(signal.SIGTERM, _raise_stopped)
    # Also when started in the background of a script, where SIGINT is inherited as ignored.
    signal.signal(signal.SIGINT, _raise_stopped)
    processes: dict[str, subprocess.Popen[bytes]] = {}
    logs: list[IO[bytes]] = []
    try:
        with infrastructure(data_dir, specs) as (database, nats), mail_server(data_dir) as mail:
            try:
                urls = prepare_databases(specs, database, nats)
                seed(specs, urls, nats)
                for spec in specs:
                    out: IO[bytes] | None = None
                    if log_dir is not None:
                        log_dir.mkdir(parents=True, exist_ok=True)
                        out = open(log_dir / f"{spec.name}.log", "ab")  # noqa: SIM115 - closed in finally
                        logs.append(out)
                    processes[spec.name] = subprocess.Popen(
                        uvicorn_command(spec),
                        env=service_environment(spec, specs, urls, nats, mail, data_dir),
                        stdout=out,
                        stderr=out,
                    )
                    wait_ready(spec, processes[spec.name])
                    say(f"{spec.name} ready on {spec.url}")
                say(banner(next((s for s in specs if s.name == "gateway"), None)))
                while all(p.poll() is None for p in processes.values()):
                    time.sleep(0.5)
                failed = [name for name, p in processes.items() if p.poll() is not None]
                say(f"stopping: {', '.join(failed)} exited")
                return 1
            finally:
                stop(processes)  # before the broker and the database they use go away
    except (KeyboardInterrupt, Stopped):
        say("stopping")
        return 0
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        say(f"failed: {exc}")
        return 1
    finally:
        stop(processes)
        for log in logs:
            log.close()


def migrate(stack_file: Path, data_dir: Path) -> int:
    specs = load_stack(stack_file)
    with infrastructure(data_dir, specs) as (database, nats):
        prepare_databases(specs, database, nats)
    return 0
