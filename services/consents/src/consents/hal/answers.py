"""What the routes' API declarations share: HAL answers, entity tags and the conditional headers."""

from __future__ import annotations

from collections.abc import Mapping

from proximity.http.hal_errors import HAL_MEDIA_TYPE
from proximity.openapi.operation import Answer, Shape, bare, empty, header

CONSENT_ETAG = {
    "ETag": "The consent's entity tag: pass it in `If-Match` to give, revoke or rescind this revision of it."
}
TYPE_NAMES_ETAG = {"ETag": "The type-name set's entity tag: pass it in `If-Match` to replace this set."}

IF_MATCH = header(
    "If-Match",
    description="An entity tag from an `ETag` answer (or `*`): the change is made only if it is the "
    "current one, else 412. Absent: no check.",
)
IF_NONE_MATCH = header(
    "If-None-Match",
    description="Entity tags from earlier `ETag` answers: if one is the current one the answer is "
    "304 (Not Modified) without a body, else the representation.",
)


def hal(
    shape: Shape, *, status: int = 200, description: str = "", headers: Mapping[str, str] | None = None
) -> Answer:
    return bare(shape, status=status, description=description, media_type=HAL_MEDIA_TYPE, headers=headers)


def not_modified(etag: Mapping[str, str]) -> Answer:
    return empty(
        304, description="Not Modified: the resource has not changed since it was fetched.", headers=etag
    )
