"""The dev stack's NATS: the broker every process of the stack connects to, and who they are.

When the stack starts its own NATS, authentication is on, as in compose and Kubernetes: a
password per bus user, generated for this run, each service given its own (never another's,
never the admin's). They are never printed; tools that need them (tests, an operator with the
``nats`` CLI) read ``access.json`` next to the server's store, readable by this user only.
"""

from __future__ import annotations

import contextlib
import json
import secrets
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from proximity.devstack.embedded import embedded_nats, write_private
from proximity.events.bus_permissions import users_of
from proximity.events.nats_config import authorization

ACCESS_FILE = "access.json"


@dataclass(frozen=True)
class Bus:
    url: str
    # Per bus user, when this stack's own NATS checks them; empty for a broker named by
    # NATS_URL, whose own rules apply (the caller's NATS_USER / NATS_PASSWORD, if any).
    passwords: Mapping[str, str] = field(default_factory=dict, repr=False)

    def environment(self, service: str) -> dict[str, str]:
        env = {"NATS_URL": self.url}
        if service in self.passwords:
            env.update({"NATS_USER": service, "NATS_PASSWORD": self.passwords[service]})
        return env


def read_access(store_dir: Path) -> Bus | None:
    """The bus a running stack wrote under ``store_dir`` (None: it started no NATS of its own)."""
    try:
        raw = json.loads((store_dir / ACCESS_FILE).read_text())
    except FileNotFoundError:
        return None
    return Bus(str(raw["url"]), {str(k): str(v) for k, v in raw["passwords"].items()})


@contextlib.contextmanager
def authenticated_nats(store_dir: Path, services: Iterable[str]) -> Iterator[Bus]:
    """An embedded NATS that knows only ``services``' users and the admin, new passwords each run."""
    passwords = {user: secrets.token_urlsafe(24) for user in users_of(services)}
    with embedded_nats(store_dir, authorization=authorization(list(passwords), passwords)) as url:
        access = store_dir / ACCESS_FILE
        write_private(access, json.dumps({"url": url, "passwords": passwords}))
        try:
            yield Bus(url, passwords)
        finally:
            access.unlink(missing_ok=True)
