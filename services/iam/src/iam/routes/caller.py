"""Who is calling: iam checks every user request itself (zero trust), as the gateway does: the
token's signature, a client key of the token's tenant, a session not ended."""

from __future__ import annotations

from starlette.requests import Request

from iam.bootstrap import Collaborators
from proximity.auth.caller import authenticated_user as authenticated
from proximity.service_app import wired

__all__ = ["authenticated", "collaborators"]


def collaborators(request: Request) -> Collaborators:
    return wired(request, Collaborators)
