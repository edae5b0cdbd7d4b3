"""The seed 004 envelopes, rendered with orjson."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

import orjson
from starlette.datastructures import URL, QueryParams
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from proximity.http.list_query import ListQuery


class JSON(JSONResponse):
    """A JSON response rendered by orjson (UUIDs and datetimes serialise natively)."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)


def one(
    data: Any, *, status: int = 200, warnings: Sequence[str] = (), headers: Mapping[str, str] | None = None
) -> JSON:
    return JSON({"data": data, "warnings": list(warnings)}, status_code=status, headers=headers)


def created(data: Any, *, warnings: Sequence[str] = ()) -> JSON:
    return one(data, status=201, warnings=warnings)


def no_content() -> Response:
    return Response(status_code=204)


def errors(
    status: int, items: Sequence[Mapping[str, Any]], *, headers: Mapping[str, str] | None = None
) -> JSON:
    return JSON({"errors": list(items)}, status_code=status, headers=headers)


def batch(applied: Sequence[Any], failures: Sequence[Mapping[str, Any]]) -> JSON:
    """``PATCH /<collection>``: what was applied, and ``{id, code, msg}`` for each row that was not."""
    return JSON({"data": list(applied), "errors": list(failures)})


def public_url(request: Request) -> URL:
    """The URL the client called. Behind the gateway (and the gateway behind a TLS ingress)
    the scope already says so: ``ForwardedByTrustedProxies`` applied ``X-Forwarded-Proto``
    and ``-Host`` from a trusted proxy, and dropped them from anyone else."""
    return request.url


def page_links(url: URL, query: ListQuery, total: int) -> str:
    """RFC 8288 ``Link`` header with first/prev/next/last for a 0-based page."""
    last = max((total - 1) // query.per_page, 0)
    params = [(k, v) for k, v in QueryParams(url.query).multi_items() if k != "page"]

    def link(page: int, rel: str) -> str:
        return f'<{url.replace(query=urlencode([*params, ("page", str(page))]))}>; rel="{rel}"'

    parts = [link(0, "first")]
    if query.page > 0:
        parts.append(link(min(query.page - 1, last), "prev"))
    if query.page < last:
        parts.append(link(query.page + 1, "next"))
    parts.append(link(last, "last"))
    return ", ".join(parts)


def many(
    items: Sequence[Any],
    *,
    query: ListQuery,
    total: int,
    url: URL,
    warnings: Sequence[str] = (),
) -> JSON:
    body = {
        "data": list(items),
        "pagination": {"page": query.page, "per_page": query.per_page, "total": total},
        "sort": [{"field": s.field, "dir": s.direction} for s in query.sort],
        "warnings": list(warnings),
    }
    headers = {"X-Total-Count": str(total), "Link": page_links(url, query, total)}
    return JSON(body, headers=headers)


def catalogue(items: Sequence[Any], *, warnings: Sequence[str] = ()) -> JSON:
    """Catalogue endpoints (``/~/types``, ``/jobtitles`` ...) return everything, unpaginated."""
    return JSON({"data": list(items), "warnings": list(warnings)})
