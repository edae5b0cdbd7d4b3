"""Through the gateway: a user enrols TOTP, and from then on logs in in two steps; the second
step is public at the gateway, and the tokens it returns work there."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid

import httpx
import pyotp

from e2e_stack import DEMO_KEY, Stack, log_in
from proximity.db.engine import with_database

KEY = {"X-Client-Key": DEMO_KEY}


def new_demo_user(stack: Stack) -> tuple[str, str]:
    """A user of the demo tenant of its own (the seed, run again with another email), so the
    other tests' admin never gets a second factor."""
    url = with_database(stack.env["DATABASE_URL"], f"{stack.env['DB_PREFIX']}identity")
    email, password = f"totp-{uuid.uuid4().hex[:8]}@example.com", f"first-{uuid.uuid4().hex}"
    env = {
        **stack.env,
        "DATABASE_URL": url.render_as_string(hide_password=False),
        "DEMO_ADMIN_EMAIL": email,
        "DEMO_ADMIN_PASSWORD": password,
    }
    subprocess.run([sys.executable, "-m", "identity.seed"], env=env, check=True, capture_output=True)
    return email, password


def test_totp_enrolment_then_a_two_step_login(gateway: httpx.Client, stack: Stack) -> None:
    email, password = new_demo_user(stack)
    first = log_in(gateway, email, password)
    assert first.status_code == 200, first.text
    headers = {**KEY, "Authorization": first.json()["data"]["access_token"]}

    enrolled = gateway.post("/auth/totp", headers=headers)
    assert enrolled.status_code == 200, enrolled.text
    uri = enrolled.json()["data"]["provisioning_uri"]
    assert uri.startswith("otpauth://totp/Proximity:")
    totp = pyotp.parse_uri(uri)
    assert isinstance(totp, pyotp.TOTP)
    confirmed = gateway.put("/auth/totp", headers=headers, json={"code": totp.now()})
    assert confirmed.status_code == 200, confirmed.text

    step = log_in(gateway, email, password)
    assert step.status_code == 200, step.text
    data = step.json()["data"]
    assert data["second_factor_required"] is True
    assert data["methods"] == ["totp"]
    assert "access_token" not in data

    attempt = {"challenge": data["challenge"], "method": "totp"}
    wrong = gateway.post("/auth/login/second-factor", headers=KEY, json={**attempt, "code": "000000"})
    assert (wrong.status_code, wrong.json()["errors"][0]["code"]) == (401, "eInvalidCredentials")
    # The confirming code's step is spent: the next step's code finishes the login.
    code = totp.at(time.time() + 30)
    done = gateway.post("/auth/login/second-factor", headers=KEY, json={**attempt, "code": code})
    assert done.status_code == 200, done.text
    tokens = done.json()["data"]
    me = gateway.get("/users/me", headers={**KEY, "Authorization": tokens["access_token"]})
    assert me.status_code == 200, me.text
    refreshed = gateway.post("/auth/refresh", headers=KEY, json={"refresh_token": tokens["refresh_token"]})
    assert refreshed.status_code == 200
    again = gateway.post("/auth/login/second-factor", headers=KEY, json={**attempt, "code": code})
    assert again.status_code == 401
