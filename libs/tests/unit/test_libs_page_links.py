"""RFC 8288 ``Link`` header for 0-based pages."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from starlette.datastructures import URL

from proximity.http.list_query import ListQuery
from proximity.http.responses import page_links

BASE = "https://api.example.com/assets?keywords=tower&sort=-created&ids%5B%5D=a&ids%5B%5D=b"


def links(page: int, per_page: int, total: int, url: str = BASE) -> dict[str, dict[str, list[str]]]:
    header = page_links(URL(f"{url}&page={page}"), ListQuery(page=page, per_page=per_page), total)
    found: dict[str, dict[str, list[str]]] = {}
    for part in header.split(", "):
        match = re.fullmatch(r'<([^>]+)>; rel="(\w+)"', part)
        assert match, part
        target, rel = match.groups()
        assert rel not in found, f"{rel} twice"
        split = urlsplit(target)
        assert (split.scheme, split.netloc, split.path) == ("https", "api.example.com", "/assets")
        found[rel] = parse_qs(split.query)
    return found


def pages(found: dict[str, dict[str, list[str]]]) -> dict[str, int]:
    return {rel: int(params["page"][0]) for rel, params in found.items()}


def test_first_page() -> None:
    assert pages(links(0, 10, 35)) == {"first": 0, "next": 1, "last": 3}


def test_middle_page() -> None:
    assert pages(links(2, 10, 35)) == {"first": 0, "prev": 1, "next": 3, "last": 3}


def test_last_page() -> None:
    assert pages(links(3, 10, 35)) == {"first": 0, "prev": 2, "last": 3}


@pytest.mark.parametrize(("total", "last"), [(30, 2), (31, 3), (1, 0), (10, 0), (11, 1)])
def test_last_page_number(total: int, last: int) -> None:
    assert pages(links(0, 10, total))["last"] == last


def test_no_rows() -> None:
    assert pages(links(0, 10, 0)) == {"first": 0, "last": 0}


def test_page_beyond_the_end_points_back_into_range() -> None:
    assert pages(links(9, 10, 35)) == {"first": 0, "prev": 3, "last": 3}


def test_other_parameters_are_kept_and_page_is_given_once() -> None:
    for params in links(1, 10, 35).values():
        assert params["keywords"] == ["tower"]
        assert params["sort"] == ["-created"]
        assert params["ids[]"] == ["a", "b"]
        assert len(params["page"]) == 1
