"""Through the gateway, with the mail `make run`'s SMTP sink keeps on disk: reset a forgotten
password, and sign in as a guest."""

from __future__ import annotations

import subprocess
import sys
import uuid

import httpx
from sqlalchemy import create_engine, text

from e2e_stack import DEMO_KEY, Stack, log_in
from proximity.db.engine import with_database
from sent_mail import mail_to, token_in

KEY = {"X-Client-Key": DEMO_KEY}


def identity_database(stack: Stack) -> str:
    url = with_database(stack.env["DATABASE_URL"], f"{stack.env['DB_PREFIX']}identity")
    return url.render_as_string(hide_password=False)


def new_demo_user(stack: Stack) -> tuple[str, str]:
    """A user of the demo tenant of its own (the seed, run again with another email), so this
    test never changes the password the other tests log in with."""
    email, password = f"reset-{uuid.uuid4().hex[:8]}@example.com", f"first-{uuid.uuid4().hex}"
    env = {
        **stack.env,
        "DATABASE_URL": identity_database(stack),
        "DEMO_ADMIN_EMAIL": email,
        "DEMO_ADMIN_PASSWORD": password,
    }
    subprocess.run([sys.executable, "-m", "identity.seed"], env=env, check=True, capture_output=True)
    return email, password


def test_a_forgotten_password_is_reset_by_mail(gateway: httpx.Client, stack: Stack) -> None:
    email, password = new_demo_user(stack)
    old = log_in(gateway, email, password)
    assert old.status_code == 200
    access_token = old.json()["data"]["access_token"]

    unknown = gateway.post(
        "/auth/reset-password", headers=KEY, json={"email": f"x-{uuid.uuid4().hex}@example.com"}
    )
    asked = gateway.post("/auth/reset-password", headers=KEY, json={"email": email})
    assert (asked.status_code, asked.content) == (unknown.status_code, unknown.content) == (202, b"")
    _, token = token_in(mail_to(stack, email))

    new_password = f"New-{uuid.uuid4().hex}"
    weak = gateway.put("/auth/reset-password", headers=KEY, json={"token": token, "password": "short"})
    assert (weak.status_code, weak.json()["errors"][0]["code"]) == (400, "eInvalidPassword")
    done = gateway.put("/auth/reset-password", headers=KEY, json={"token": token, "password": new_password})
    assert done.status_code == 200, done.text
    again = gateway.put("/auth/reset-password", headers=KEY, json={"token": token, "password": new_password})
    assert (again.status_code, again.json()["errors"][0]["code"]) == (400, "eInvalidResetToken")

    assert log_in(gateway, email, password).status_code == 401
    assert log_in(gateway, email, new_password).status_code == 200
    # The session from before the reset has ended, at the gateway too.
    me = gateway.get("/users/me", headers={**KEY, "Authorization": access_token})
    assert (me.status_code, me.json()["errors"][0]["code"]) == (401, "eSessionRevoked")


def test_a_guest_signs_in_with_the_mailed_link(gateway: httpx.Client, stack: Stack) -> None:
    email, _ = new_demo_user(stack)
    engine = create_engine(identity_database(stack))
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "UPDATE users SET allow_otp = true WHERE id = "
                    "(SELECT user_id FROM identities WHERE kind = 'email' AND value = :email)"
                ),
                {"email": email},
            )
    finally:
        engine.dispose()

    started = gateway.post("/auth2/guests/initiate", headers=KEY, json={"dk": "localhost", "email": email})
    assert (started.status_code, started.content) == (202, b"")
    link, token = token_in(mail_to(stack, email))
    assert link.startswith("https://localhost/auth/guest?token=")

    confirmed = gateway.post("/auth2/guests/confirm", headers=KEY, json={"token": token})
    assert confirmed.status_code == 200, confirmed.text
    data = confirmed.json()["data"]
    assert data["session"]["email"] == email
    assert data["session"]["app_id"] == "proximity"
    me = gateway.get("/users/me", headers={**KEY, "Authorization": data["access_token"]})
    assert me.status_code == 200
    reused = gateway.post("/auth2/guests/confirm", headers=KEY, json={"token": token})
    assert (reused.status_code, reused.json()["errors"][0]["code"]) == (401, "eInvalidGuestToken")
