"""What the contracts end-to-end tests do through a gateway, again and again: sign in as the demo
administrator, make sites, entities and contracts, and wait for a view to agree."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx

from e2e_stack import ADMIN, DEMO_KEY, log_in

KEY = {"X-Client-Key": DEMO_KEY}
SQUARE = "POLYGON((-0.8 53.1, -0.7 53.1, -0.7 53.2, -0.8 53.2, -0.8 53.1))"
# Generous: only for what has no deadline of its own (a replica catching up on a loaded machine).
PATIENCE = 60.0


def admin_headers(gateway: httpx.Client) -> dict[str, str]:
    response = log_in(gateway, ADMIN["email"], ADMIN["password"])
    assert response.status_code == 200, response.text
    return {**KEY, "Authorization": f"Bearer {response.json()['data']['access_token']}"}


def within(seconds: float, look: Callable[[], Any], agrees: Callable[[Any], bool]) -> tuple[Any, float]:
    """Look until ``agrees``; the last look and how long it took. Fails at the deadline with the
    last look, so a view that never agrees says what it showed."""
    start = time.monotonic()
    while True:
        seen = look()
        if agrees(seen):
            return seen, time.monotonic() - start
        if time.monotonic() - start > seconds:
            shown = seen.text if isinstance(seen, httpx.Response) else seen
            raise AssertionError(f"not within {seconds} s: {shown}")
        time.sleep(0.02)


class Tenant:
    """The demo tenant through one gateway, as its administrator."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http
        self.auth = admin_headers(http)
        types, _ = within(
            PATIENCE,
            lambda: http.get("/assets/~/types", headers=self.auth),
            lambda r: r.status_code == 200 and len(r.json()["data"]) >= 4,
        )
        self.site_type = next(t["id"] for t in types.json()["data"] if t["name"] == "Site")
        kinds = http.get("/entities/~/types", headers=self.auth).json()["data"]
        self.client_type = next(t["id"] for t in kinds if t["base_type"] == "client")

    def site(self, name: str) -> dict[str, Any]:
        body = self.site_body(name)
        made = self.http.post("/assets", headers=self.auth, json=body)
        assert made.status_code == 201, made.text
        found: dict[str, Any] = made.json()["data"]
        return found

    def site_body(self, name: str, **more: Any) -> dict[str, Any]:
        return {"name": name, "description": "", "type_id": self.site_type, "geo": {"wkt": SQUARE}, **more}

    def entity(self, name: str) -> dict[str, Any]:
        made = self.http.post(
            "/entities", headers=self.auth, json={"name": name, "type_id": self.client_type}
        )
        assert made.status_code == 201, made.text
        found: dict[str, Any] = made.json()["data"]
        return found

    def contract(self, name: str, **links: list[str]) -> dict[str, Any]:
        """Created once contracts' replicas know every id linked (they learn them from events)."""
        made, _ = within(
            PATIENCE,
            lambda: self.http.post("/contracts", headers=self.auth, json={"name": name, **links}),
            lambda r: r.status_code != 400 or not r.json()["errors"][0]["code"].startswith("eAttemptSave"),
        )
        assert made.status_code == 201, made.text
        found: dict[str, Any] = made.json()["data"]
        return found

    def batch(self, path: str, *rows: dict[str, Any]) -> list[str]:
        """``PATCH`` of a collection: the codes of the rows refused (the answer itself is a 200)."""
        answer = self.http.patch(path, headers=self.auth, json={"data": list(rows)})
        assert answer.status_code == 200, answer.text
        return [error["code"] for error in answer.json()["errors"]]

    def get(self, path: str, **params: Any) -> httpx.Response:
        return self.http.get(path, headers=self.auth, params=params)

    def ids(self, path: str, **params: Any) -> list[str]:
        """The ids of a list's first page (the lists here are short)."""
        listed = self.get(path, **params)
        assert listed.status_code == 200, listed.text
        return sorted(item["id"] for item in listed.json()["data"])

    def data(self, path: str, **params: Any) -> dict[str, Any]:
        got = self.get(path, **params)
        assert got.status_code == 200, got.text
        found: dict[str, Any] = got.json()["data"]
        return found


def word() -> str:
    return f"w{uuid.uuid4().hex[:8]}"
