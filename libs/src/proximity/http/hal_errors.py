"""Seed 001's error objects, ``{"_profile", "_error": {...}}`` (HAL): the consents service
renders its errors in this shape, and the gateway renders its own errors under ``/consents``
in it too, so a client of that API parses one shape whoever refused the request."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

ERROR_PROFILE = "https://production.api.apiture.com/schemas/common/errorResponse/v2.0.0/profile.json"
HAL_MEDIA_TYPE = "application/hal+json"


def error_type(code: str) -> str:
    """``eInvalidClientKey`` → ``invalidClientKey``: seed 004's codes in seed 001's style."""
    name = code[1:] if code.startswith("e") and code[1:2].isupper() else code
    return name[:1].lower() + name[1:]


def error_object(
    status: int,
    kind: str,
    message: str,
    *,
    attributes: Mapping[str, Any] | None = None,
    remediation: str | None = None,
    errors: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "_id": str(uuid.uuid4()),
        "message": message,
        "statusCode": status,
        "type": kind,
        "occurredAt": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "remediation": remediation or "",
        "attributes": dict(attributes or {}),
    }
    if errors:
        body["errors"] = list(errors)
    return body


def error_document(error: dict[str, Any]) -> dict[str, Any]:
    return {"_profile": ERROR_PROFILE, "_error": error}
