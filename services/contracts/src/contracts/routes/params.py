"""Reading the contracts routes' path and query values."""

from __future__ import annotations

import uuid

from starlette.datastructures import QueryParams
from starlette.requests import Request

from contracts.errors import ContractNotFound
from proximity.errors import ValidationFailed
from proximity.http.list_query import MAX_IDS, parse_uuids
from proximity.openapi.operation import UUID_SCHEMA, Schema

# ``party_id=`` reads as no filter at all.
OPTIONAL_UUID: Schema = {"anyOf": [dict(UUID_SCHEMA), {"type": "string", "enum": [""]}]}
UUID_LIST: Schema = {"type": "array", "items": UUID_SCHEMA, "maxItems": MAX_IDS}


def contract_id(request: Request) -> uuid.UUID:
    # seed 004: an id that is not a contract's, malformed or not, is 400 eContractNotFound.
    try:
        return uuid.UUID(request.path_params["id"])
    except ValueError:
        raise ContractNotFound() from None


def optional_uuid(params: QueryParams, name: str) -> uuid.UUID | None:
    raw = (params.get(name) or "").strip()
    return parse_uuids([raw], name)[0] if raw else None


def uuid_list(params: QueryParams, name: str) -> tuple[uuid.UUID, ...]:
    """``name[]=a&name[]=b``, ``name=a&name=b`` or ``name=a,b``."""
    raw = params.getlist(f"{name}[]") + params.getlist(name)
    values = [v.strip() for item in raw for v in item.split(",") if v.strip()]
    if len(values) > MAX_IDS:
        raise ValidationFailed(f"'{name}' holds at most {MAX_IDS} ids.", fields={name: "maxItems"})
    return tuple(dict.fromkeys(parse_uuids(values, name)))
