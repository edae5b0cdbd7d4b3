"""Who is calling, checked here again (zero trust) as the gateway checks it: a user's token
needs a client key of its own tenant and a session identity has not ended; another service's
token (services call each other directly) needs neither."""

from __future__ import annotations

from starlette.requests import Request

from consents.bootstrap import Collaborators
from consents.services.access import Caller
from proximity.auth.caller import authenticated_caller
from proximity.service_app import wired


def collaborators(request: Request) -> Collaborators:
    return wired(request, Collaborators)


async def authenticated(request: Request) -> Caller:
    return Caller.of(await authenticated_caller(request))
