"""Who is calling, checked here again (zero trust) as the gateway checks it: a user's token
needs a client key of its own tenant and a session identity has not ended; another service's
token (services call each other directly) needs neither."""

from __future__ import annotations

from starlette.requests import Request

from consents.bootstrap import Collaborators
from consents.services.access import Caller


def collaborators(request: Request) -> Collaborators:
    found: Collaborators = request.app.state.consents
    return found


async def authenticated(request: Request) -> Caller:
    return Caller.of(await collaborators(request).runtime.callers.user_or_service(request))
