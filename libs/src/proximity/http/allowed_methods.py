"""The methods a path takes, for a 405's ``Allow`` header.

Starlette answers a 405 from the first route whose path matched, so a path declared as two
routes (``GET`` in one, ``PUT``/``POST`` in another) would advertise only the first one's
methods; a client following ``Allow`` would never find the others.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Match, Route


def allowed_methods(request: Request) -> list[str]:
    """Every method of every route whose path matches this request's, sorted."""
    router = request.scope.get("router")
    methods: set[str] = set()
    # Only top-level routes: no service mounts a sub-application.
    for route in getattr(router, "routes", ()):
        if isinstance(route, Route) and route.methods:
            match, _ = route.matches(request.scope)
            if match is not Match.NONE:
                methods |= route.methods
    return sorted(methods)
