"""Starting the whole system as `make run` does: the dev stack in its own process, talking to
real PostgreSQL and NATS, every service and the gateway as real uvicorn processes."""

from __future__ import annotations

from pathlib import Path

import httpx

from proximity.devstack.launcher import LaunchedStack

REPO = Path(__file__).resolve().parent.parent
DEMO_KEY = "dev-client-key"
ADMIN = {"email": "admin@example.com", "password": "admin-password"}
Stack = LaunchedStack


def log_in(gateway: httpx.Client, email: str, password: str, key: str = DEMO_KEY) -> httpx.Response:
    return gateway.post(
        "/auth/login", headers={"X-Client-Key": key}, json={"email": email, "password": password}
    )


def admin_token(gateway: httpx.Client) -> dict[str, str]:
    response = log_in(gateway, ADMIN["email"], ADMIN["password"])
    assert response.status_code == 200, response.text
    data: dict[str, str] = response.json()["data"]
    return data
