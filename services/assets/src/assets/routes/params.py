"""Reading the assets routes' path and query values."""

from __future__ import annotations

import uuid
from collections.abc import Collection

from starlette.datastructures import QueryParams
from starlette.requests import Request

from assets.errors import AssetNotFound
from proximity.errors import ValidationFailed
from proximity.http.list_query import parse_uuids
from proximity.openapi.operation import UUID_SCHEMA, Schema

# ``type_id=`` reads as no filter at all.
OPTIONAL_UUID: Schema = {"anyOf": [dict(UUID_SCHEMA), {"type": "string", "enum": [""]}]}


def asset_id(request: Request) -> uuid.UUID:
    # seed 004: an id that is not an asset's, malformed or not, is 400 eAssetNotFound.
    try:
        return uuid.UUID(request.path_params["id"])
    except ValueError:
        raise AssetNotFound() from None


def optional_uuid(params: QueryParams, name: str) -> uuid.UUID | None:
    raw = (params.get(name) or "").strip()
    return parse_uuids([raw], name)[0] if raw else None


FLAG_SCHEMA: Schema = {"type": "string", "enum": ["", "true", "false", "1", "0"]}


def flag(params: QueryParams, name: str) -> bool:
    raw = (params.get(name) or "").strip().lower()
    if raw in ("", "false", "0"):
        return False
    if raw in ("true", "1"):
        return True
    raise ValidationFailed(f"'{name}' must be true or false.", fields={name: "boolean"})


def includes(params: QueryParams, allowed: Collection[str]) -> set[str]:
    """``include[]=a&include[]=b`` or ``include=a,b``; an unknown one is a 400."""
    given = {
        v.strip() for item in params.getlist("include[]") + params.getlist("include") for v in item.split(",")
    }
    given.discard("")
    unknown = given - set(allowed)
    if unknown:
        raise ValidationFailed(f"Unknown include '{sorted(unknown)[0]}'.", fields={"include": "unknown"})
    return given
