"""Entity tags (RFC 9110 §8.8.3) of a consent and of the type-name set, and the evaluation of
``If-Match`` (strong comparison) and ``If-None-Match`` (weak comparison).

Tags are strong and quoted. A consent's comes from its id and version, so any change (which
always bumps the version) changes it; the type-name set's comes from its sorted content.
An entry of a header that does not parse as an entity tag is ignored, so it matches nothing.
"""

from __future__ import annotations

import hashlib
import json
import re

from consents.domain.errors import PreconditionFailed
from consents.domain.type_names import ConsentTypeNames

_ENTITY_TAG = re.compile(r'\s*(W/)?"([\x21\x23-\x7e\x80-\xff]*)"\s*(?:,|$)')


def _tag(content: str) -> str:
    return '"' + hashlib.sha256(content.encode()).hexdigest()[:32] + '"'


def consent_etag(consent_id: str, version: int) -> str:
    return _tag(f"consent\x00{consent_id}\x00{version}")


def type_names_etag(type_names: ConsentTypeNames) -> str:
    return _tag(json.dumps(type_names.as_json(), sort_keys=True, separators=(",", ":")))


def _entity_tags(header: str) -> list[tuple[bool, str]]:
    """(weak, opaque tag) for each entity tag of a list header, in order."""
    tags: list[tuple[bool, str]] = []
    position = 0
    while position < len(header):
        if not header[position:].strip(" \t,"):
            break
        found = _ENTITY_TAG.match(header, position)
        if found is None:
            # skip the malformed entry up to the next comma
            comma = header.find(",", position)
            position = len(header) if comma < 0 else comma + 1
            continue
        tags.append((found.group(1) is not None, found.group(2)))
        position = found.end()
    return tags


def _opaque(etag: str) -> tuple[bool, str]:
    weak = etag.startswith("W/")
    return weak, etag[2:].strip('"') if weak else etag.strip('"')


def if_match_holds(header: str | None, current: str | None) -> bool:
    """``If-Match``: absent holds; ``*`` holds if the resource exists; a list holds if one tag
    equals the current one by strong comparison (neither weak)."""
    if header is None:
        return True
    if header.strip() == "*":
        return current is not None
    if current is None:
        return False
    current_weak, current_tag = _opaque(current)
    return not current_weak and any(not weak and tag == current_tag for weak, tag in _entity_tags(header))


def if_none_match_holds(header: str | None, current: str | None) -> bool:
    """``If-None-Match``: absent holds; ``*`` holds if the resource does not exist; a list holds if
    no tag equals the current one by weak comparison. When it does not hold a GET answers 304."""
    if header is None:
        return True
    if header.strip() == "*":
        return current is None
    if current is None:
        return True
    current_tag = _opaque(current)[1]
    return all(tag != current_tag for _weak, tag in _entity_tags(header))


def require_if_match(header: str | None, current: str | None) -> None:
    """Raise ``PreconditionFailed`` (412) when ``If-Match`` does not hold."""
    if not if_match_holds(header, current):
        raise PreconditionFailed(
            "The resource has changed since it was fetched (If-Match does not match its ETag).",
            attributes={"ifMatch": header or "", "etag": current or ""},
            remediation="Fetch the resource again and retry with its current ETag.",
        )
