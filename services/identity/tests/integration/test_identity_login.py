"""Logging in: tokens on success; one indistinguishable answer for every kind of failure."""

from __future__ import annotations

import asyncio
import secrets

import jwt
from sqlmodel import col, select

from identity.config import IdentitySettings
from proximity.events.tables import OutboxMessage
from tests.conftest import Account, Identity, log_in, new_account, running

FAILURE = {
    "errors": [
        {
            "code": "eInvalidCredentials",
            "message": "The email or password is incorrect, or the account is temporarily locked.",
        }
    ]
}


async def test_login_issues_tokens_that_verify_against_the_jwks(identity: Identity, account: Account) -> None:
    response = await log_in(identity.http, account)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    data = response.json()["data"]
    assert data["token_type"] == "Bearer"
    assert data["expires_in"] == 900
    assert data["refresh_token"]

    jwks = (await identity.http.get("/.well-known/jwks.json")).json()
    key = jwt.PyJWKSet.from_dict(jwks)[jwt.get_unverified_header(data["access_token"])["kid"]]
    claims = jwt.decode(
        data["access_token"], key.key, algorithms=["EdDSA"], audience="proximity", issuer="proximity-identity"
    )
    assert claims["sub"] == str(account.user_id)
    assert claims["pid"] == str(account.party_id)
    assert claims["tid"] == str(account.tenant_id)
    assert claims["adm"] is True
    assert claims["sid"]


async def test_email_is_case_insensitive(identity: Identity, account: Account) -> None:
    response = await identity.http.post(
        "/auth/login",
        headers=account.key,
        json={"email": account.email.upper(), "password": account.password},
    )
    assert response.status_code == 200


async def test_wrong_password_and_unknown_email_answer_alike(identity: Identity, account: Account) -> None:
    wrong = await log_in(identity.http, account, password="not-the-password")
    unknown = await identity.http.post(
        "/auth/login", headers=account.key, json={"email": "nobody@example.com", "password": "whatever"}
    )
    assert (wrong.status_code, wrong.json()) == (401, FAILURE)
    assert (unknown.status_code, unknown.json()) == (401, FAILURE)


async def test_fourth_failure_locks_the_account_and_the_lock_expires(
    identity: Identity, account: Account
) -> None:
    for _ in range(4):
        assert (await log_in(identity.http, account, password="wrong")).status_code == 401
    locked = await log_in(identity.http, account)  # the right password, but locked
    assert (locked.status_code, locked.json()) == (401, FAILURE)

    async with identity.wired.unit_of_work() as uow:
        subjects = (await uow.session.execute(select(col(OutboxMessage.subject)))).scalars().all()
    assert "identity.user.locked" in subjects

    await asyncio.sleep(2.1)  # lockout_seconds=2 in these tests; 300 by default
    assert (await log_in(identity.http, account)).status_code == 200


async def test_three_failures_then_success_resets_the_count(identity: Identity, account: Account) -> None:
    for _ in range(3):
        await log_in(identity.http, account, password="wrong")
    assert (await log_in(identity.http, account)).status_code == 200
    for _ in range(3):
        await log_in(identity.http, account, password="wrong")
    assert (await log_in(identity.http, account)).status_code == 200


async def test_parallel_guesses_cannot_pass_the_lockout(settings: IdentitySettings) -> None:
    # A lock long enough to outlast eight Argon2 checks run one after another.
    async with running(settings.model_copy(update={"lockout_seconds": 60})) as identity:
        account = await new_account(identity.wired)
        answers = await asyncio.gather(
            *(log_in(identity.http, account, password=f"guess-{i}") for i in range(8))
        )
        assert {a.status_code for a in answers} == {401}
        assert (await log_in(identity.http, account)).status_code == 401  # locked after the 4th
        async with identity.wired.unit_of_work() as uow:
            locks = (
                await uow.session.execute(
                    select(OutboxMessage).where(OutboxMessage.subject == "identity.user.locked")
                )
            ).scalars()
            mine = [m for m in locks if str(account.user_id).encode() in m.payload]
        assert len(mine) == 1


async def test_client_key_is_required_and_must_be_known(identity: Identity, account: Account) -> None:
    body = {"email": account.email, "password": account.password}
    missing = await identity.http.post("/auth/login", json=body)
    unknown = await identity.http.post(
        "/auth/login", json=body, headers={"X-Client-Key": secrets.token_hex(8)}
    )
    for response in (missing, unknown):
        assert response.status_code == 401
        assert response.json()["errors"][0]["code"] == "eInvalidClientKey"


async def test_another_tenants_key_does_not_open_this_tenants_user(
    identity: Identity, account: Account
) -> None:
    other = await new_account(identity.wired)
    response = await identity.http.post(
        "/auth/login", headers=other.key, json={"email": account.email, "password": account.password}
    )
    assert (response.status_code, response.json()) == (401, FAILURE)


async def test_bad_bodies_are_4xx_envelopes(identity: Identity, account: Account) -> None:
    cases = [
        ({"content": b"{not json", "headers": {"content-type": "application/json"}}, 400, "eMalformedJson"),
        (
            {"content": b"email=a", "headers": {"content-type": "application/x-www-form-urlencoded"}},
            415,
            None,
        ),
        ({"json": {"email": account.email}}, 400, "eValidationError"),
        ({"json": ["a", "list"]}, 400, "eValidationError"),
        ({"json": {"email": "a" * 400, "password": "x"}}, 400, "eValidationError"),
        ({"json": {"email": 5, "password": None}}, 400, "eValidationError"),
    ]
    for kwargs, status, code in cases:
        headers = {**account.key, **kwargs.pop("headers", {})}  # type: ignore[dict-item]
        response = await identity.http.post("/auth/login", headers=headers, **kwargs)  # type: ignore[arg-type]
        assert response.status_code == status, kwargs
        assert "errors" in response.json()
        if code:
            assert response.json()["errors"][0]["code"] == code


async def test_login_records_session_started_in_the_outbox(identity: Identity, account: Account) -> None:
    await log_in(identity.http, account)
    async with identity.wired.unit_of_work() as uow:
        rows = (
            await uow.session.execute(
                select(OutboxMessage).where(OutboxMessage.subject == "identity.session.started")
            )
        ).scalars()
        payloads = [row.payload for row in rows]
    assert any(str(account.user_id).encode() in p for p in payloads)
    assert not any(account.password.encode() in p for p in payloads)
