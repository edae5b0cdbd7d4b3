"""What a route says about itself for the API document: its body, parameters, answers and errors.

A route's endpoint is decorated with ``@documented(...)``; the document is generated from these
declarations and from the pydantic models the route validates with, so it cannot drift from
the code. A route without a declaration stops the document from being built at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from pydantic import BaseModel

from proximity.errors import ProximityError

if TYPE_CHECKING:
    from proximity.openapi.envelopes import ErrorStyle

Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])
Schema = Mapping[str, Any]
# A pydantic model, or a JSON Schema where no model fits (a free-form object, a string).
Shape = type[BaseModel] | Schema
Envelope = Literal["one", "many", "catalogue", "batch", "bare", "empty"]
# An error a route raises: its class (status and code are read from it), or (status, code).
ErrorSpec = type[ProximityError] | tuple[int, str]

UUID_SCHEMA: Schema = {"type": "string", "format": "uuid"}
ATTRIBUTE = "__openapi__"


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    location: Literal["query", "path", "header"]
    schema: Schema = field(default_factory=lambda: {"type": "string"})
    required: bool = False
    description: str = ""


def query(name: str, schema: Schema | None = None, *, required: bool = False, description: str = "") -> Param:
    return Param(name, "query", schema or {"type": "string"}, required, description)


def header(
    name: str, schema: Schema | None = None, *, required: bool = False, description: str = ""
) -> Param:
    return Param(name, "header", schema or {"type": "string"}, required, description)


def path(name: str, schema: Schema | None = None, *, description: str = "") -> Param:
    return Param(name, "path", schema or {"type": "string"}, True, description)


@dataclass(frozen=True, slots=True)
class Answer:
    """One successful answer: its status, the shape of what it carries and how it is wrapped."""

    status: int
    envelope: Envelope
    shape: Shape | None = None
    description: str = ""
    media_type: str = "application/json"
    headers: Mapping[str, str] = field(default_factory=dict)  # name → description
    example: Any = None


def one(
    shape: Shape,
    *,
    status: int = 200,
    description: str = "",
    headers: Mapping[str, str] | None = None,
    example: Any = None,
) -> Answer:
    """``{"data": {...}, "warnings": []}``."""
    return Answer(status, "one", shape, description or "The item.", headers=headers or {}, example=example)


def created(
    shape: Shape, *, description: str = "", headers: Mapping[str, str] | None = None, example: Any = None
) -> Answer:
    return one(shape, status=201, description=description or "Created.", headers=headers, example=example)


def many(shape: Shape, *, description: str = "") -> Answer:
    """A page: ``data``, ``pagination``, ``sort``, ``warnings`` plus ``X-Total-Count`` and ``Link``."""
    return Answer(
        200,
        "many",
        shape,
        description or "A page of items.",
        headers={
            "X-Total-Count": "How many items match, over all pages.",
            "Link": "RFC 8288 links to the first, previous, next and last pages.",
        },
    )


def catalogue(shape: Shape, *, description: str = "") -> Answer:
    """Every item, unpaginated: ``{"data": [...], "warnings": []}``."""
    return Answer(200, "catalogue", shape, description or "Every item.")


def batch(shape: Shape, *, description: str = "") -> Answer:
    """``PATCH /<collection>``: ``{"data": [applied...], "errors": [{id, code, msg}]}``."""
    return Answer(200, "batch", shape, description or "The rows applied, and an error per row that was not.")


def bare(
    shape: Shape,
    *,
    status: int = 200,
    description: str = "",
    media_type: str = "application/json",
    headers: Mapping[str, str] | None = None,
    example: Any = None,
) -> Answer:
    """A body that is not wrapped in an envelope (JWKS, HAL resources, metrics)."""
    return Answer(status, "bare", shape, description or "OK.", media_type, headers or {}, example)


def empty(status: int = 204, *, description: str = "", headers: Mapping[str, str] | None = None) -> Answer:
    return Answer(status, "empty", None, description or "Done; nothing to return.", headers=headers or {})


@dataclass(frozen=True, slots=True)
class BatchBody:
    """The body of ``PATCH /<collection>``: ``{"data": [row, ...]}``. The route validates rows one
    by one (so one bad row fails alone); the document shows the row's model."""

    row: type[BaseModel]
    max_rows: int


Body = type[BaseModel] | BatchBody | Schema


@dataclass(frozen=True, slots=True)
class Operation:
    summary: str
    answers: tuple[Answer, ...]
    body: Body | None = None
    body_media_types: tuple[str, ...] = ("application/json",)
    params: tuple[Param, ...] = ()
    errors: tuple[ErrorSpec, ...] = ()
    public: bool = False  # the client key is enough: no access token
    anonymous: bool = False  # not even a client key (the gateway's own documents)
    internal: bool = False  # service-to-service or operator only: never exposed by the gateway
    description: str = ""
    tags: tuple[str, ...] = ()
    permission: str | None = None
    operation_id: str | None = None
    body_example: Any = None
    # The shape of this operation's errors when not the document's (seed 003's JSend routes
    # in a seed 004 service).
    error_style: ErrorStyle | None = None


def documented(
    summary: str,
    *,
    answers: Answer | Sequence[Answer],
    body: Body | None = None,
    body_media_types: Sequence[str] = ("application/json",),
    params: Sequence[Param] = (),
    errors: Sequence[ErrorSpec] = (),
    public: bool = False,
    anonymous: bool = False,
    internal: bool = False,
    description: str = "",
    tags: Sequence[str] = (),
    permission: str | None = None,
    operation_id: str | None = None,
    body_example: Any = None,
    error_style: ErrorStyle | None = None,
) -> Callable[[Endpoint], Endpoint]:
    """Attach the operation's declaration to its endpoint (the function a ``Route`` calls)."""
    operation = Operation(
        summary=summary,
        answers=(answers,) if isinstance(answers, Answer) else tuple(answers),
        body=body,
        body_media_types=tuple(body_media_types),
        params=tuple(params),
        errors=tuple(errors),
        public=public or anonymous,
        anonymous=anonymous,
        internal=internal,
        description=description,
        tags=tuple(tags),
        permission=permission,
        operation_id=operation_id,
        body_example=body_example,
        error_style=error_style,
    )

    def attach(endpoint: Endpoint) -> Endpoint:
        setattr(endpoint, ATTRIBUTE, operation)
        return endpoint

    return attach


def operation_of(endpoint: object) -> Operation | None:
    found = getattr(endpoint, ATTRIBUTE, None)
    return found if isinstance(found, Operation) else None
