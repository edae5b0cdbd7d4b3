"""HAL collections (seed 001 ``consents``): ``start``, ``limit``, ``count``, ``name``,
``_embedded.items`` and the ``self/first/prev/next/collection`` links."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from starlette.datastructures import URL, QueryParams

from consents.domain.consent import Consent
from consents.hal.representations import API_ROOT, link, summary_body

COLLECTION_PROFILE = "https://api.apiture.com/schemas/consents/consents/v1.0.0/profile.json"


def _page(url: URL, start: int, limit: int) -> str:
    kept = [(k, v) for k, v in QueryParams(url.query).multi_items() if k not in ("start", "limit")]
    return f"{url.path}?{urlencode([*kept, ('start', str(start)), ('limit', str(limit))])}"


def collection_body(
    items: Sequence[Consent], *, url: URL, start: int, limit: int, count: int, name: str = "consents"
) -> dict[str, Any]:
    links: dict[str, Any] = {
        "self": link(_page(url, start, limit)),
        "first": link(_page(url, 0, limit)),
        "collection": link(f"{API_ROOT}/consents"),
    }
    if start > 0:
        links["prev"] = link(_page(url, max(start - limit, 0), limit))
    if start + limit < count:
        links["next"] = link(_page(url, start + limit, limit))
    return {
        "_profile": COLLECTION_PROFILE,
        "start": start,
        "limit": limit,
        "count": count,
        "name": name,
        "_links": links,
        "_embedded": {"items": [summary_body(consent) for consent in items]},
    }
