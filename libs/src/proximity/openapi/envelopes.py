"""The JSON Schemas of seed 004's envelopes (one, list, catalogue, batch, error) and of the
list-query parameters, matching what ``proximity.http.responses`` and ``list_query`` do."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any, Protocol

from proximity.http.cursor import MAX_CURSOR_LENGTH
from proximity.http.list_query import DEFAULT_PER_PAGE, MAX_IDS, MAX_PER_PAGE, max_page
from proximity.openapi.operation import UUID_SCHEMA, Envelope, Param, Schema, query

WARNINGS: Schema = {"type": "array", "items": {"type": "string"}}


def enveloped(envelope: Envelope, data: Schema) -> Schema:
    """Wrap the item schema ``data`` the way ``proximity.http.responses`` does."""
    if envelope == "one":
        return _object(data=data, warnings=WARNINGS)
    if envelope == "catalogue":
        return _object(data={"type": "array", "items": data}, warnings=WARNINGS)
    if envelope == "many":
        return _object(
            data={"type": "array", "items": data},
            pagination=_pagination(),
            sort={
                "type": "array",
                "items": _object(field={"type": "string"}, dir={"type": "string", "enum": ["asc", "desc"]}),
            },
            warnings=WARNINGS,
        )
    if envelope == "batch":
        failure = _object(id={"type": ["string", "null"]}, code={"type": "string"}, msg={"type": "string"})
        return _object(data={"type": "array", "items": data}, errors={"type": "array", "items": failure})
    return data


def _pagination() -> Schema:
    """``page``, ``per_page``, ``total``; a keyset list (``list_parameters(max_offset=)``) adds
    ``total_exact`` and ``next_cursor``."""
    required = {
        "page": {"type": "integer", "minimum": 0},
        "per_page": {"type": "integer", "minimum": 1},
        "total": {"type": "integer", "minimum": 0},
    }
    keyset = {
        "total_exact": {
            "type": "boolean",
            "description": "False when `total` is a lower bound: counting stops at a cap.",
        },
        "next_cursor": {
            "type": ["string", "null"],
            "description": 'The next page\'s `cursor` (also in `Link` rel="next"); null on the last page.',
        },
    }
    return {"type": "object", "required": list(required), "properties": required | keyset}


def _object(**properties: Schema) -> Schema:
    return {"type": "object", "required": list(properties), "properties": properties}


class ErrorStyle(Protocol):
    """How a service's errors look: seed 004's ``errors`` list, or seed 001's HAL ``_error``."""

    @property
    def media_type(self) -> str: ...

    def schema(self, status: int, codes: Sequence[str]) -> Schema: ...

    def description(self, status: int, codes: Sequence[str]) -> str: ...


class Seed004Errors:
    """``{"errors": [{"code", "message", "fields"?}]}``; ``code`` is one of the documented ones."""

    media_type = "application/json"

    def description(self, status: int, codes: Sequence[str]) -> str:
        return ", ".join(f"`{code}`" for code in sorted(set(codes)))

    def schema(self, status: int, codes: Sequence[str]) -> Schema:
        item: dict[str, Any] = {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "enum": sorted(set(codes))},
                "message": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": {"type": "string"}},
            },
        }
        return {
            "type": "object",
            "required": ["errors"],
            "properties": {"errors": {"type": "array", "minItems": 1, "items": item}},
        }


SEED_004_ERRORS = Seed004Errors()


def list_parameters(
    *,
    sortable: Collection[str],
    default_sort: str = "+name",
    includes: Collection[str] = (),
    filters: Mapping[str, Schema] | None = None,
    max_per_page: int = MAX_PER_PAGE,
    max_offset: int | None = None,
) -> tuple[Param, ...]:
    """The parameters ``parse_list_query`` reads, plus a list's own filters (``type_id`` ...);
    ``max_offset`` as ``parse_list_query`` takes it (a keyset list: bounded pages, ``cursor``)."""
    # What parse_list_query reads: empty (the default), or fields with an optional sign, comma
    # separated ('+' arrives as a space when a client does not encode it).
    field_names = "|".join(re.escape(name) for name in sorted(sortable))
    one_sort = f"[+ -]?(?:{field_names})"
    sort_pattern = f"^(?:\\s*|{one_sort}(?:,{one_sort})*)$"
    params: list[Param] = [
        query(
            "ids[]",
            {"type": "array", "items": UUID_SCHEMA, "maxItems": MAX_IDS},
            description="Only these ids (deleted items named here are shown too).",
        ),
        query("keywords", {"type": "string", "maxLength": 200}, description="Words searched for."),
        query(
            "sort",
            {"type": "string", "pattern": sort_pattern},
            description=(
                f"Fields, comma separated, each `+` ascending (the default) or `-` descending; "
                f"default `{default_sort}`. One of: {', '.join(sorted(sortable))}."
            ),
        ),
        query(
            "page",
            {"type": "integer", "minimum": 0, "maximum": max_page(max_per_page), "default": 0},
            description=(
                "0-based page."
                if max_offset is None
                else f"0-based page; `page` x `per_page` at most {max_offset} (400 "
                "`eValidationError` beyond: follow the `next` link, a `cursor`)."
            ),
        ),
        query(
            "per_page",
            {"type": "integer", "minimum": 1, "maximum": max_per_page, "default": DEFAULT_PER_PAGE},
            description="Items per page.",
        ),
    ]
    if max_offset is not None:
        params.append(
            query(
                "cursor",
                {"type": "string", "maxLength": MAX_CURSOR_LENGTH},
                description=(
                    "Where the previous page ended: the `next_cursor` of a page of this list in "
                    "the same `sort` (opaque). Replaces `page`; not with `page`."
                ),
            )
        )
    if includes:
        params.append(
            query(
                "include[]",
                {"type": "array", "items": {"type": "string", "enum": sorted(includes)}},
                description="Extra parts of each item.",
            )
        )
    for name, schema in (filters or {}).items():
        params.append(query(name, schema))
    return tuple(params)
