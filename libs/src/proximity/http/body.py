"""Reading a JSON request body: wrong media type → 415, malformed → 400, too big → 413."""

from __future__ import annotations

from typing import Any, TypeVar

import orjson
from pydantic import BaseModel, ValidationError
from starlette.requests import Request

from proximity.errors import PayloadTooLarge, UnsupportedMediaType, ValidationFailed

DEFAULT_MAX_BODY = 1024 * 1024
Model = TypeVar("Model", bound=BaseModel)


async def read_json(request: Request, *, max_bytes: int = DEFAULT_MAX_BODY) -> Any:
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
    try:
        return orjson.loads(b"".join(chunks))
    except orjson.JSONDecodeError:
        raise ValidationFailed("The request body is not valid JSON.", code="eMalformedJson") from None


def _location(error: Any) -> str:
    return ".".join(str(part) for part in error.get("loc", ())) or "body"


async def read_model(request: Request, model: type[Model], *, max_bytes: int = DEFAULT_MAX_BODY) -> Model:
    """Parse and validate the body into ``model``; every invalid field is named in the error."""
    raw = await read_json(request, max_bytes=max_bytes)
    if not isinstance(raw, dict):
        raise ValidationFailed("The request body must be a JSON object.")
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        fields = {_location(e): str(e.get("msg", "invalid")) for e in exc.errors()}
        first = next(iter(fields.items()))
        raise ValidationFailed(f"{first[0]}: {first[1]}", fields=fields) from None
