"""Ids in URLs: a malformed one names nothing, so it is the resource's not-found error."""

from __future__ import annotations

import uuid

from starlette.requests import Request

from proximity.errors import NotFound


def path_id(request: Request, not_found: type[NotFound], name: str = "id") -> uuid.UUID:
    try:
        return uuid.UUID(str(request.path_params[name]))
    except ValueError:
        raise not_found() from None
