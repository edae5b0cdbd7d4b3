"""The connection to NATS every process opens (services, the gateway, tools).

With a user (``NATS_USER`` / ``NATS_PASSWORD``) the process is held to that user's
permissions (``proximity.events.bus_permissions``) and takes its replies on the user's own
inbox prefix; without one it connects anonymously, as to a development broker that has no
authentication (the tests' shared server).
"""

from __future__ import annotations

import logging

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


async def connect(url: str, *, name: str, user: str | None = None, password: str | None = None) -> NATS:
    report = _ErrorReport(user)
    nc = await nats.connect(
        url,
        name=name,
        user=user,
        password=password,
        inbox_prefix=inbox_prefix(user) if user else DEFAULT_INBOX_PREFIX,
        error_cb=report.on_error,
        max_reconnect_attempts=-1,
        reconnect_time_wait=0.5,
        connect_timeout=5,
    )
    report.connected = True
    return nc


async def connect_as_service(settings: ServiceSettings) -> NATS:
    """The process's own connection: as ``settings.nats_user`` when one is set."""
    password = settings.nats_password.get_secret_value() if settings.nats_password else None
    return await connect(
        settings.nats_url, name=settings.service_name, user=settings.nats_user, password=password
    )
