"""Which browser pages may call the API: CORS, by Starlette's middleware.

It runs before the pipeline, so a preflight is answered without a client key: a browser
sends none on a preflight (it is asking whether it may send one). A page of an origin not
allowed gets no ``Access-Control-Allow-Origin``, so its browser keeps the answer from it.
With no origin configured there is no middleware at all, and a preflight is just another
request without a client key (401).
"""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware

from gateway.config import GatewaySettings

# What the API's clients send besides the CORS-safelisted headers: the client key (seed 001's
# consents API names it API-Key), the token, conditions on ETags, a request id of their own.
ALLOWED_HEADERS = (
    "X-Client-Key",
    "API-Key",
    "Authorization",
    "Content-Type",
    "If-Match",
    "If-None-Match",
    "X-Request-Id",
)
# Response headers a page's script may read: the request id, paging, ETags, where a created
# item is, and how long to wait after a 429.
EXPOSED_HEADERS = ("X-Request-Id", "X-Total-Count", "Link", "ETag", "Location", "Retry-After")


def cors_middleware(settings: GatewaySettings, methods: list[str]) -> list[Middleware]:
    if not settings.cors_origins and settings.cors_origin_regex is None:
        return []
    return [
        Middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_origin_regex=settings.cors_origin_regex,
            allow_methods=methods,
            allow_headers=ALLOWED_HEADERS,
            expose_headers=EXPOSED_HEADERS,
            # Tokens travel in headers, never in cookies: no credentials, so "*" stays possible.
            allow_credentials=False,
        )
    ]
