"""What happens to every request that is not the gateway's own (``/health`` ...), in order:
client key, rate limit, route, access token, forward.

An address that has sent too many invalid client keys is refused (429) before its key is
looked at: guessing keys from one address costs identity a bounded number of lookups, and
other addresses are not affected."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from gateway.auth import Authenticator
from gateway.error_shapes import render_error
from gateway.proxy import Proxy
from gateway.rate_limit import RateLimiter
from gateway.routing import RouteTable
from proximity.errors import InvalidClientKey, RouteNotFound, TooManyRequests


@dataclass(frozen=True, slots=True)
class Pipeline:
    routes: RouteTable
    auth: Authenticator
    limiter: RateLimiter
    proxy: Proxy
    invalid_keys: RateLimiter  # per client address; counts only refused keys

    async def handle(self, request: Request) -> Response:
        address = request.client.host if request.client else ""
        refused = self.invalid_keys.refused_for(address)
        if refused is not None:
            return render_error(
                request,
                TooManyRequests("Too many requests with an invalid client key from this address."),
                headers={"Retry-After": str(refused)},
            )
        # The key comes first so that nothing, not even the route table, is shown without one;
        # the limit is counted per known client, so unknown keys cannot grow its memory.
        try:
            client = await self.auth.client(request)
        except InvalidClientKey:
            self.invalid_keys.count(address)
            raise
        wait = self.limiter.retry_after(client.client_id)
        if wait is not None:
            return render_error(request, TooManyRequests(), headers={"Retry-After": str(wait)})
        match = self.routes.match(request.method, request.scope["path"])
        if match is None:
            raise RouteNotFound()
        if not match.public:
            await self.auth.user(request, client)
        return await self.proxy.forward(request, match)
