"""Every documented operation of seeds 004 and 001 reaches its owning context."""

from __future__ import annotations

import csv
import re
import uuid
from pathlib import Path

import pytest

from assets.config import AssetsSettings
from gateway.routing import ASSETS, CONTRACTS, DOCUMENT_UPLOAD_BYTES, IDENTITY, RouteTable, Rule

ENDPOINTS = Path(__file__).parents[1] / "data" / "endpoints.tsv"
TABLE = RouteTable()


def rows(*seeds: str) -> list[dict[str, str]]:
    with ENDPOINTS.open(newline="") as f:
        return [row for row in csv.DictReader(f, delimiter="\t") if row["seed"][:3] in seeds]


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", str(uuid.uuid4()), path)


@pytest.mark.parametrize("row", rows("004", "001"), ids=lambda r: f"{r['method']} {r['path']}")
def test_primary_seeds_route_to_their_context(row: dict[str, str]) -> None:
    match = TABLE.match(row["method"], concrete(row["path"]))
    assert match is not None
    assert match.context == row["context"]


def test_the_catalogue_holds_what_we_expect() -> None:
    assert len(rows("004")) == 102
    assert len(rows("001")) == 12


@pytest.mark.parametrize("row", [r for r in rows("000", "002", "003") if r["context"] == "other"])
def test_operations_of_no_context_route_nowhere(row: dict[str, str]) -> None:
    assert TABLE.match(row["method"], concrete(row["path"])) is None


def test_other_seeds_contribute_behaviour_not_paths() -> None:
    """Seeds 000/002/003 are folded into the contexts under seed 004's paths: their
    ``/auth/*`` flows live at identity's ``/auth``; ``/data/*`` and ``/`` are not exposed
    (their equivalents are the 004 resources). Of seed 003 (``/api/v1``) only the asset reads
    and the documents are served, by assets."""
    for row in rows("002"):
        match = TABLE.match(row["method"], concrete(row["path"]))
        if row["path"].startswith("/auth/"):
            assert match is not None
            assert match.context == IDENTITY
        else:
            assert match is None
    for row in rows("000"):
        assert TABLE.match(row["method"], concrete(row["path"])) is None
    for row in rows("003"):
        path = row["path"].replace("{documentable_type}", "assets")
        match = TABLE.match(row["method"], concrete(path))
        if row["context"] == ASSETS:
            assert match is not None
            assert match.context == ASSETS
        else:
            assert match is None


def test_document_uploads_carry_the_document_limit() -> None:
    for path in ("/assets/{id}/documents", "/entities/{id}/documents", "/api/v1/assets/{id}/documents"):
        upload = TABLE.match("POST", concrete(path))
        assert upload is not None
        assert (upload.context, upload.max_body_bytes) == (ASSETS, DOCUMENT_UPLOAD_BYTES)
        listing = TABLE.match("GET", concrete(path))
        assert listing is not None
        assert (listing.context, listing.max_body_bytes) == (ASSETS, None)
    assert AssetsSettings().document_max_bytes < DOCUMENT_UPLOAD_BYTES
    for path in ("/assets", "/assets/{id}", "/assets/{id}/other", "/entities/{id}"):
        match = TABLE.match("POST", concrete(path))
        assert match is not None
        assert match.max_body_bytes is None, path


def test_a_wildcard_segment_matches_one_segment() -> None:
    rule = Rule("/assets/*/documents", ASSETS)
    assert rule.covers("GET", "/assets/x/documents")
    assert rule.covers("GET", "/assets/x/documents/y")
    assert not rule.covers("GET", "/assets/x")
    assert not rule.covers("GET", "/assets/x/documentsX")
    assert not rule.covers("GET", "/assetsX/x/documents")


def test_matching_follows_whole_segments() -> None:
    assert TABLE.match("GET", "/assets") == TABLE.match("GET", "/assets/")
    assert TABLE.match("GET", "/assetsX") is None
    assert TABLE.match("GET", "/assets-x/1") is None
    assert TABLE.match("GET", "/authx/login") is None
    match = TABLE.match("GET", "/auth2/guests/confirm")
    assert match is not None
    assert match.context == IDENTITY


def context_of(method: str, path: str, table: RouteTable = TABLE) -> str | None:
    match = table.match(method, path)
    return match.context if match else None


def test_assign_contract_belongs_to_contracts_for_post_only() -> None:
    path = "/entities/~/actions/assign_contract"
    assert context_of("POST", path) == CONTRACTS
    assert context_of("post", path) == CONTRACTS
    assert context_of("GET", path) == ASSETS
    assert context_of("POST", "/entities/~/actions/assign_service") == ASSETS


def test_a_method_no_row_documents_still_reaches_the_owner() -> None:
    match = TABLE.match("DELETE", "/assets/1")  # the owner answers 405 itself
    assert match is not None
    assert match.context == ASSETS


@pytest.mark.parametrize(
    "path",
    [
        "/internal/client-keys/abc",
        "/internal",
        "/internal/",
        "/assets/../internal/x",
        "/assets/./1",
        "//assets",
        "/assets//1",
        "/assets/..",
        "assets",
        "/",
        "",
    ],
)
def test_internal_and_ambiguous_paths_route_nowhere(path: str) -> None:
    assert TABLE.match("GET", path) is None


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/auth/login"),
        ("POST", "/auth/refresh"),
        ("GET", "/.well-known/jwks.json"),
        ("POST", "/auth2/guests/initiate"),
        ("POST", "/auth2/guests/confirm"),
        ("PUT", "/auth/reset-password"),
        ("POST", "/auth/reset-password"),
    ],
)
def test_public_routes(method: str, path: str) -> None:
    match = TABLE.match(method, path)
    assert match is not None
    assert match.public


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/auth/logout"),
        ("GET", "/auth/email-otp"),
        ("POST", "/auth/email-otp"),
        ("GET", "/auth/login"),
        ("POST", "/auth/login/extra"),
        ("DELETE", "/auth/reset-password"),
        ("GET", "/users/me"),
        ("GET", "/.well-known/other"),
    ],
)
def test_everything_else_needs_a_token(method: str, path: str) -> None:
    match = TABLE.match(method, path)
    assert match is not None
    assert not match.public


def test_a_route_can_carry_its_own_body_limit() -> None:
    big = 50 * 2**20
    table = RouteTable([Rule("/assets", ASSETS), Rule("/assets/~/documents", ASSETS, max_body_bytes=big)])
    documents, assets = table.match("POST", "/assets/~/documents"), table.match("POST", "/assets")
    assert documents is not None
    assert documents.max_body_bytes == big
    assert assets is not None
    assert assets.max_body_bytes is None


def test_the_login_second_step_is_public_but_enrolling_a_factor_is_not() -> None:
    second_step = TABLE.match("POST", "/auth/login/second-factor")
    assert second_step is not None
    assert (second_step.context, second_step.public) == (IDENTITY, True)
    for method, path in [
        ("POST", "/auth/totp"),
        ("PUT", "/auth/recovery-codes"),
        ("GET", "/auth/login/second-factor"),
    ]:
        match = TABLE.match(method, path)
        assert match is not None
        assert not match.public
