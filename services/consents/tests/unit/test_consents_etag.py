"""Entity tags and the If-Match / If-None-Match preconditions (RFC 9110 §13.1)."""

from __future__ import annotations

import re

import pytest

from consents.domain.errors import PreconditionFailed
from consents.domain.etag import (
    consent_etag,
    if_match_holds,
    if_none_match_holds,
    require_if_match,
    type_names_etag,
)
from consents.domain.type_names import DEFAULT_TYPE_NAMES, ConsentTypeNames, LocalizedLabel

TAG = consent_etag("c-1", 3)


def test_consent_etag_is_strong_quoted_and_follows_the_version() -> None:
    assert re.fullmatch(r'"[0-9a-f]{32}"', TAG)
    assert consent_etag("c-1", 3) == TAG
    assert consent_etag("c-1", 4) != TAG
    assert consent_etag("c-2", 3) != TAG


def test_type_names_etag_follows_content_not_order() -> None:
    names = dict(DEFAULT_TYPE_NAMES.names)
    reordered = ConsentTypeNames(dict(reversed(list(names.items()))))
    assert type_names_etag(reordered) == type_names_etag(DEFAULT_TYPE_NAMES)
    relabelled = ConsentTypeNames({**names, "privacyPolicy": (LocalizedLabel("Privacy"),)})
    assert type_names_etag(relabelled) != type_names_etag(DEFAULT_TYPE_NAMES)
    assert type_names_etag(DEFAULT_TYPE_NAMES).startswith('"')


@pytest.mark.parametrize(
    ("header", "current", "holds"),
    [
        (None, TAG, True),
        (None, None, True),
        (TAG, TAG, True),
        ('"other"', TAG, False),
        (f'"other", {TAG}', TAG, True),
        (f'"other",{TAG} ,', TAG, True),
        (f"W/{TAG}", TAG, False),  # If-Match compares strongly
        ("*", TAG, True),
        ("*", None, False),
        (TAG, None, False),
        (TAG.strip('"'), TAG, False),  # unquoted: not an entity tag
        (f"garbage, {TAG}", TAG, True),  # a malformed entry is skipped
        ("", TAG, False),
    ],
)
def test_if_match(header: str | None, current: str | None, holds: bool) -> None:
    assert if_match_holds(header, current) is holds


def test_a_weak_current_tag_never_matches_strongly() -> None:
    assert not if_match_holds('"a"', 'W/"a"')


@pytest.mark.parametrize(
    ("header", "current", "holds"),
    [
        (None, TAG, True),
        (TAG, TAG, False),  # not modified: 304
        (f"W/{TAG}", TAG, False),  # weak comparison
        (f'"x", W/{TAG}', TAG, False),
        ('"x", "y"', TAG, True),
        ("*", TAG, False),
        ("*", None, True),
        (TAG, None, True),
        ('W/"a"', 'W/"a"', False),
    ],
)
def test_if_none_match(header: str | None, current: str | None, holds: bool) -> None:
    assert if_none_match_holds(header, current) is holds


def test_require_if_match_raises_a_412() -> None:
    require_if_match(TAG, TAG)
    require_if_match(None, TAG)
    with pytest.raises(PreconditionFailed) as raised:
        require_if_match('"stale"', TAG)
    assert raised.value.status == 412
    assert raised.value.attributes == {"ifMatch": '"stale"', "etag": TAG}
