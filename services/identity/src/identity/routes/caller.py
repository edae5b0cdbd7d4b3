"""Who is calling: identity checks every user request itself (zero trust), as the gateway
does: the token's signature, a client key of the token's tenant, a session not ended. A
service token names a service, not a user or a session, so the user endpoints refuse it."""

from __future__ import annotations

from starlette.requests import Request

from identity.bootstrap import Collaborators
from proximity.auth.caller import authenticated_user as authenticated
from proximity.service_app import wired

__all__ = ["authenticated", "collaborators"]


def collaborators(request: Request) -> Collaborators:
    return wired(request, Collaborators)
