"""What happens to every request that is not the gateway's own (``/health`` ...), in order:
client key, rate limit, route, access token, forward."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from gateway.auth import Authenticator
from gateway.error_shapes import render_error
from gateway.proxy import Proxy
from gateway.rate_limit import RateLimiter
from gateway.routing import RouteTable
from proximity.errors import RouteNotFound, TooManyRequests


@dataclass(frozen=True, slots=True)
class Pipeline:
    routes: RouteTable
    auth: Authenticator
    limiter: RateLimiter
    proxy: Proxy

    async def handle(self, request: Request) -> Response:
        # The key comes first so that nothing, not even the route table, is shown without one;
        # the limit is counted per known client, so unknown keys cannot grow its memory.
        client = await self.auth.client(request)
        wait = self.limiter.retry_after(client.client_id)
        if wait is not None:
            return render_error(request, TooManyRequests(), headers={"Retry-After": str(wait)})
        match = self.routes.match(request.method, request.scope["path"])
        if match is None:
            raise RouteNotFound()
        if not match.public:
            await self.auth.user(request, client)
        return await self.proxy.forward(request, match)
