"""The seed 004 envelopes, rendered with orjson."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

import orjson
from starlette.datastructures import URL, QueryParams
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from proximity.http.list_query import KeysetPage, ListQuery
from proximity.http.storable import BIGINT_MAX


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


def keyset_links(url: URL, query: ListQuery, listed: KeysetPage) -> str:
    """``Link`` of a keyset list: ``next`` carries the cursor; ``prev`` and ``last`` are page
    numbers, given only when that page is within the list's offset bound (and ``last`` only
    when the total is exact)."""
    params = [(k, v) for k, v in QueryParams(url.query).multi_items() if k not in ("page", "cursor")]
    bound = query.max_offset if query.max_offset is not None else BIGINT_MAX

    def link(rel: str, *extra: tuple[str, str]) -> str:
        return f'<{url.replace(query=urlencode([*params, *extra]))}>; rel="{rel}"'

    parts = [link("first", ("page", "0"))]
    if listed.page > 0 and (listed.page - 1) * query.per_page <= bound:
        parts.append(link("prev", ("page", str(listed.page - 1))))
    if listed.next_cursor is not None:
        parts.append(link("next", ("cursor", listed.next_cursor)))
    last = max((listed.total.total - 1) // query.per_page, 0)
    if listed.total.exact and last * query.per_page <= bound:
        parts.append(link("last", ("page", str(last))))
    return ", ".join(parts)


def many(
    items: Sequence[Any],
    *,
    query: ListQuery,
    total: int | KeysetPage,
    url: URL,
    warnings: Sequence[str] = (),
) -> JSON:
    """A page; ``total`` is a count, or a keyset list's page (``pagination`` then also says
    whether the total is exact and gives the next page's cursor)."""
    if isinstance(total, KeysetPage):
        count = total.total.total
        pagination: dict[str, Any] = {
            "page": total.page,
            "per_page": query.per_page,
            "total": count,
            "total_exact": total.total.exact,
            "next_cursor": total.next_cursor,
        }
        link = keyset_links(url, query, total)
    else:
        count = total
        pagination = {"page": query.page, "per_page": query.per_page, "total": count}
        link = page_links(url, query, count)
    body = {
        "data": list(items),
        "pagination": pagination,
        "sort": [{"field": s.field, "dir": s.direction} for s in query.sort],
        "warnings": list(warnings),
    }
    return JSON(body, headers={"X-Total-Count": str(count), "Link": link})


def catalogue(items: Sequence[Any], *, warnings: Sequence[str] = ()) -> JSON:
    """Catalogue endpoints (``/~/types``, ``/jobtitles`` ...) return everything, unpaginated."""
    return JSON({"data": list(items), "warnings": list(warnings)})
