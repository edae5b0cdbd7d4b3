"""The connection to NATS every process opens (services, the gateway, tools).

With a user (``NATS_USER`` / ``NATS_PASSWORD``) the process is held to that user's
permissions (``proximity.events.bus_permissions``) and takes its replies on the user's own
inbox prefix; without one it connects anonymously, as to a development broker that has no
authentication (the tests' shared server).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import nats
from nats.aio.client import DEFAULT_INBOX_PREFIX
from nats.aio.client import Client as NATS
from nats.errors import AuthorizationError
from nats.protocol.parser import AUTHORIZATION_VIOLATION, PERMISSIONS_ERR

from proximity.events.bus_permissions import inbox_prefix
from proximity.settings import ServiceSettings

log = logging.getLogger(__name__)


class BusCredentialsRefused(Exception):
    """NATS refused this process's user or password: a setting to fix, not an outage to wait out."""


class _ErrorReport:
    """nats-py's error callback. A refused publish or subscription does not close the
    connection: the server says so only here (the request itself just times out). The texts
    name subjects and users, never a password."""

    def __init__(self, user: str | None) -> None:
        self.user = user
        self.connected = False

    async def on_error(self, error: Exception) -> None:
        # At connect time nats-py reports a refusal as a plain Error with the server's text.
        if isinstance(error, AuthorizationError) or AUTHORIZATION_VIOLATION in str(error).lower():
            if not self.connected:
                # Raised inside nats.connect's retry loop, so start-up fails at once instead
                # of retrying a wrong password forever.
                who = f"user {self.user!r}" if self.user else "an anonymous connection (no NATS_USER)"
                raise BusCredentialsRefused(f"NATS refused {who}") from None
            log.error("NATS refused this process's credentials; reconnecting", extra={"user": self.user})
        elif PERMISSIONS_ERR in str(error):
            log.error("NATS refused an operation", extra={"user": self.user, "error": str(error)})
        else:
            log.warning("NATS connection error", extra={"error": repr(error)})


def _options(report: _ErrorReport, *, name: str, user: str | None, password: str | None) -> dict[str, Any]:
    return {
        "name": name,
        "user": user,
        "password": password,
        "inbox_prefix": inbox_prefix(user) if user else DEFAULT_INBOX_PREFIX,
        "error_cb": report.on_error,
        "max_reconnect_attempts": -1,
        "reconnect_time_wait": 0.5,
        "connect_timeout": 5,
    }


async def connect(url: str, *, name: str, user: str | None = None, password: str | None = None) -> NATS:
    """Connected when it returns (it waits for the broker as long as it takes)."""
    report = _ErrorReport(user)
    nc = await nats.connect(url, **_options(report, name=name, user=user, password=password))
    report.connected = True
    return nc


# The background connection attempts of processes that started without the broker: kept
# here so the tasks are not garbage-collected while they wait.
_CONNECTING: dict[int, asyncio.Task[None]] = {}


async def connect_as_service(settings: ServiceSettings, *, wait_seconds: float = 5.0) -> NATS:
    """The process's own connection: as ``settings.nats_user`` when one is set.

    A broker that is away at start-up does not stop the process from starting: after
    ``wait_seconds`` this returns a client that goes on connecting in the background (it
    buffers what is sent meanwhile). Writes still commit, their events waiting in the
    outbox; consumers subscribe once it answers. Refused credentials still fail at once.
    """
    password = settings.nats_password.get_secret_value() if settings.nats_password else None
    report = _ErrorReport(settings.nats_user)
    nc = NATS()
    options = _options(report, name=settings.service_name, user=settings.nats_user, password=password)

    async def connecting() -> None:
        await nc.connect(settings.nats_url, **options)
        report.connected = True

    attempt = asyncio.create_task(connecting(), name="nats-connect")
    done, _ = await asyncio.wait({attempt}, timeout=wait_seconds)
    if attempt in done:
        attempt.result()  # BusCredentialsRefused and the like: a setting to fix
        return nc
    log.warning("NATS does not answer; starting without it, events wait in the outbox until it does")
    _CONNECTING[id(nc)] = attempt
    attempt.add_done_callback(lambda done: _connected_later(id(nc), done))
    return nc


async def disconnect(nc: NATS, *, drain: bool = True) -> None:
    """Drain (or close) ``nc``, first stopping its background attempt if it never connected."""
    if (attempt := _CONNECTING.pop(id(nc), None)) is not None and not attempt.done():
        attempt.cancel()
        with contextlib.suppress(BaseException):
            await attempt
    with contextlib.suppress(Exception):
        await (nc.drain() if drain else nc.close())


def _connected_later(key: int, attempt: asyncio.Task[None]) -> None:
    _CONNECTING.pop(key, None)
    if attempt.cancelled():
        return
    if (error := attempt.exception()) is not None:
        log.error("NATS connection failed for good", extra={"error": repr(error)})
    else:
        log.info("NATS answers again; relaying and consuming")
