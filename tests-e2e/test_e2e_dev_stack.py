"""`make run` on a machine with no database or broker configured: the stack starts its own
embedded PostgreSQL and NATS, serves login → /users/me, and a second start reuses the data."""

from __future__ import annotations

import os
from pathlib import Path

import httpx

from e2e_stack import ADMIN, DEMO_KEY, REPO
from proximity.devstack.launcher import launched_stack


def test_embedded_stack_serves_login_and_keeps_its_data(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "NATS_URL", "DB_PREFIX")}
    party_ids = []
    for _ in range(2):
        with (
            launched_stack(env, tmp_path, repo=REPO) as stack,
            httpx.Client(base_url=stack.gateway, timeout=30) as gateway,
        ):
            assert gateway.get("/health").status_code == 200
            login = gateway.post("/auth/login", headers={"X-Client-Key": DEMO_KEY}, json=ADMIN)
            assert login.status_code == 200
            me = gateway.get(
                "/users/me",
                headers={"X-Client-Key": DEMO_KEY, "Authorization": login.json()["data"]["access_token"]},
            )
            assert me.status_code == 200
            party_ids.append(me.json()["data"]["party_id"])
    assert (tmp_path / "data" / "postgres").is_dir()
    assert party_ids[0] == party_ids[1]  # the second start found the first one's tenant and admin
