"""Reading a JSON request body: wrong media type → 415, malformed → 400, too big → 413, and a
value PostgreSQL cannot store (NUL, an integer beyond 64 bits, too deep) → 400 naming it."""

from __future__ import annotations

from typing import Any, TypeVar

import orjson
from pydantic import BaseModel, ValidationError
from starlette.requests import Request

from proximity.errors import PayloadTooLarge, UnsupportedMediaType, ValidationFailed
from proximity.http.body_values import MAX_NESTING, BodyFault, body_fault, model_fault, refused_body_fault

DEFAULT_MAX_BODY = 1024 * 1024
Model = TypeVar("Model", bound=BaseModel)


def _refused(fault: BodyFault) -> ValidationFailed:
    return ValidationFailed(f"{fault.path}: {fault.problem}", fields={fault.path: fault.problem})


async def read_json(
    request: Request, *, max_bytes: int = DEFAULT_MAX_BODY, max_nesting: int = MAX_NESTING
) -> Any:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/json" and not media_type.endswith("+json"):
        raise UnsupportedMediaType()
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise PayloadTooLarge()
        chunks.append(chunk)
    raw = b"".join(chunks)
    try:
        document = orjson.loads(raw)
    except orjson.JSONDecodeError:
        refused = refused_body_fault(raw, max_nesting=max_nesting)
        if refused is not None:
            raise _refused(refused) from None
        raise ValidationFailed("The request body is not valid JSON.", code="eMalformedJson") from None
    fault = body_fault(document, raw, max_nesting=max_nesting)
    if fault is not None:
        raise _refused(fault)
    return document


def _location(error: Any) -> str:
    return ".".join(str(part) for part in error.get("loc", ())) or "body"


async def read_model(request: Request, model: type[Model], *, max_bytes: int = DEFAULT_MAX_BODY) -> Model:
    """Parse and validate the body into ``model``; every invalid field is named in the error."""
    raw = await read_json(request, max_bytes=max_bytes)
    if not isinstance(raw, dict):
        raise ValidationFailed("The request body must be a JSON object.")
    try:
        validated = model.model_validate(raw)
    except ValidationError as exc:
        fields = {_location(e): str(e.get("msg", "invalid")) for e in exc.errors()}
        first = next(iter(fields.items()))
        raise ValidationFailed(f"{first[0]}: {first[1]}", fields=fields) from None
    fault = model_fault(validated)
    if fault is not None:
        raise _refused(fault)
    return validated
