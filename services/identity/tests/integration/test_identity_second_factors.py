"""TOTP and recovery codes (issue 3) against the real database: enrol, confirm, disable, the
two-step login, single use of codes, steps and challenges, lockout, tenancy."""

from __future__ import annotations

import asyncio
import urllib.parse
from datetime import UTC, datetime, timedelta

import pyotp
from sqlalchemy import update
from sqlmodel import col, select

from identity.repositories.second_factor_tables import LoginChallenge, RecoveryCode, SecondFactor
from tests.conftest import Account, Identity, log_in, new_account, recorded_events, signed_in
from tests.integration.mail_flows import update_rows
from tests.integration.second_factors import code_of, enable_totp, first_step, second_step, totp_code


async def test_totp_is_enrolled_confirmed_and_then_asked_for_at_login(
    identity: Identity, account: Account
) -> None:
    headers = await signed_in(identity, account)
    enrolled = await identity.http.post("/auth/totp", headers=headers)
    assert enrolled.status_code == 200, enrolled.text
    assert enrolled.headers["cache-control"] == "no-store"
    data = enrolled.json()["data"]
    secret, uri = data["secret"], data["provisioning_uri"]
    parsed = urllib.parse.urlparse(uri)
    assert (parsed.scheme, parsed.netloc) == ("otpauth", "totp")
    assert urllib.parse.unquote(parsed.path) == f"/Proximity:{account.email.lower()}"
    assert urllib.parse.parse_qs(parsed.query) == {"secret": [secret], "issuer": ["Proximity"]}
    assert pyotp.parse_uri(uri).secret == secret
    # Pending: the password alone still logs in.
    assert "access_token" in (await log_in(identity.http, account)).json()["data"]

    wrong = await identity.http.put("/auth/totp", headers=headers, json={"code": "000000"})
    assert code_of(wrong) == (400, "eInvalidCode")
    now_code = totp_code(secret)
    assert (
        await identity.http.put("/auth/totp", headers=headers, json={"code": now_code})
    ).status_code == 200
    again = await identity.http.post("/auth/totp", headers=headers)
    assert code_of(again) == (400, "eSecondFactorState")

    step = await first_step(identity, account)
    assert step["methods"] == ["totp"]
    # The code that confirmed the enrolment is spent: its step cannot be used again.
    reused = await second_step(identity, account, step["challenge"], "totp", now_code)
    assert code_of(reused) == (401, "eInvalidCredentials")
    done = await second_step(identity, account, step["challenge"], "totp", totp_code(secret, 1))
    assert done.status_code == 200, done.text
    tokens = done.json()["data"]
    assert {"access_token", "refresh_token", "expires_in"} <= tokens.keys()
    me = await identity.http.get(
        "/users/me", headers={**account.key, "Authorization": tokens["access_token"]}
    )
    assert me.status_code == 200
    # The challenge is single use.
    spent = await second_step(identity, account, step["challenge"], "totp", totp_code(secret, -1))
    assert code_of(spent) == (401, "eInvalidCredentials")
    changes = [
        e["data"]["change"]
        for e in await recorded_events(identity, "identity.user.second_factor_changed", account.user_id)
    ]
    assert changes == ["enrolled", "enabled"]
    async with identity.wired.reading() as session:
        stored = (
            await session.execute(select(SecondFactor).where(SecondFactor.user_id == account.user_id))
        ).scalar_one()
    assert stored.totp_secret is not None
    assert secret not in stored.totp_secret


async def test_a_totp_code_outside_the_drift_window_is_refused(identity: Identity, account: Account) -> None:
    _, secret = await enable_totp(identity, account)
    step = await first_step(identity, account)
    for far in (totp_code(secret, 3), totp_code(secret, -3)):
        assert code_of(await second_step(identity, account, step["challenge"], "totp", far)) == (
            401,
            "eInvalidCredentials",
        )


async def test_totp_is_disabled_with_a_code_or_the_password(identity: Identity, account: Account) -> None:
    headers, secret = await enable_totp(identity, account)
    both = await identity.http.request(
        "DELETE", "/auth/totp", headers=headers, json={"code": "123456", "password": account.password}
    )
    assert code_of(both) == (400, "eValidationError")
    wrong = await identity.http.request("DELETE", "/auth/totp", headers=headers, json={"password": "not-it"})
    assert code_of(wrong) == (400, "eInvalidCode")
    gone = await identity.http.request(
        "DELETE", "/auth/totp", headers=headers, json={"password": account.password}
    )
    assert gone.status_code == 204
    assert "access_token" in (await log_in(identity.http, account)).json()["data"]
    not_enrolled = await identity.http.request(
        "DELETE", "/auth/totp", headers=headers, json={"code": "123456"}
    )
    assert code_of(not_enrolled) == (400, "eSecondFactorState")

    headers, secret = await enable_totp(identity, account)
    by_code = await identity.http.request(
        "DELETE", "/auth/totp", headers=headers, json={"code": totp_code(secret, 1)}
    )
    assert by_code.status_code == 204
    assert "access_token" in (await log_in(identity.http, account)).json()["data"]


async def test_second_factor_endpoints_need_a_logged_in_user(identity: Identity, account: Account) -> None:
    for method, path in [("POST", "/auth/totp"), ("PUT", "/auth/recovery-codes"), ("GET", "/auth/email-otp")]:
        response = await identity.http.request(method, path, headers=account.key)
        assert response.status_code == 401


async def test_wrong_codes_count_towards_the_login_lockout(identity: Identity, account: Account) -> None:
    _, secret = await enable_totp(identity, account)
    step = await first_step(identity, account)
    wrong_password = await log_in(identity.http, account, "not-the-password")
    for _ in range(3):
        wrong = await second_step(identity, account, step["challenge"], "totp", "999999")
        assert wrong.json() == wrong_password.json()
    # The fourth failure (one password, three codes) locked the account: even a right code fails.
    right = await second_step(identity, account, step["challenge"], "totp", totp_code(secret, 1))
    assert code_of(right) == (401, "eInvalidCredentials")
    assert (await log_in(identity.http, account)).status_code == 401
    assert await recorded_events(identity, "identity.user.locked", account.user_id)
    await asyncio.sleep(identity.wired.settings.lockout_seconds + 0.2)
    again = await first_step(identity, account)
    done = await second_step(identity, account, again["challenge"], "totp", totp_code(secret, 1))
    assert done.status_code == 200, done.text


async def test_a_right_password_does_not_reset_the_count_of_wrong_codes(
    identity: Identity, account: Account
) -> None:
    await enable_totp(identity, account)
    for _ in range(2):
        step = await first_step(identity, account)
        assert (await second_step(identity, account, step["challenge"], "totp", "999999")).status_code == 401
    step = await first_step(identity, account)
    assert (await second_step(identity, account, step["challenge"], "totp", "999999")).status_code == 401
    assert (await second_step(identity, account, step["challenge"], "totp", "999998")).status_code == 401
    # Four wrong codes across three logins: locked.
    assert (await log_in(identity.http, account)).status_code == 401


async def test_expired_unknown_and_other_tenants_challenges_are_refused(
    identity: Identity, account: Account
) -> None:
    _, secret = await enable_totp(identity, account)
    other = await new_account(identity.wired)
    step = await first_step(identity, account)
    elsewhere = await second_step(identity, other, step["challenge"], "totp", totp_code(secret, 1))
    assert code_of(elsewhere) == (401, "eInvalidCredentials")
    unknown = await second_step(identity, account, "x" * 43, "totp", totp_code(secret, 1))
    assert code_of(unknown) == (401, "eInvalidCredentials")
    await update_rows(
        identity,
        update(LoginChallenge)
        .where(col(LoginChallenge.user_id) == account.user_id)
        .values(expires_at=datetime.now(UTC) - timedelta(seconds=1)),
    )
    expired = await second_step(identity, account, step["challenge"], "totp", totp_code(secret, 1))
    assert code_of(expired) == (401, "eInvalidCredentials")
    fresh = await first_step(identity, account)
    assert (
        await second_step(identity, account, fresh["challenge"], "totp", totp_code(secret, 1))
    ).status_code == 200


async def test_bad_second_step_bodies_are_validation_errors(identity: Identity, account: Account) -> None:
    for body in [{}, {"challenge": "x", "method": "sms", "code": "1"}, {"challenge": "x", "method": "totp"}]:
        response = await identity.http.post("/auth/login/second-factor", headers=account.key, json=body)
        assert code_of(response) == (400, "eValidationError")


async def test_recovery_codes_are_shown_once_stored_hashed_and_work_once(
    identity: Identity, account: Account
) -> None:
    headers, _ = await enable_totp(identity, account)
    made = await identity.http.put("/auth/recovery-codes", headers=headers)
    assert made.status_code == 200, made.text
    codes = made.json()["data"]["recovery_codes"]
    assert len(codes) == len(set(codes)) == 10
    async with identity.wired.reading() as session:
        hashes = set(
            (
                await session.execute(
                    select(col(RecoveryCode.code_hash)).where(RecoveryCode.user_id == account.user_id)
                )
            )
            .scalars()
            .all()
        )
    assert len(hashes) == 10
    assert not hashes & set(codes)

    step = await first_step(identity, account)
    assert step["methods"] == ["totp", "recovery_code"]
    typed = codes[0].replace("-", " ").lower()  # as a user might type it
    done = await second_step(identity, account, step["challenge"], "recovery_code", typed)
    assert done.status_code == 200, done.text
    step = await first_step(identity, account)
    reused = await second_step(identity, account, step["challenge"], "recovery_code", codes[0])
    assert code_of(reused) == (401, "eInvalidCredentials")

    replaced = (await identity.http.put("/auth/recovery-codes", headers=headers)).json()["data"][
        "recovery_codes"
    ]
    assert not set(replaced) & set(codes)
    old = await second_step(identity, account, step["challenge"], "recovery_code", codes[1])
    assert code_of(old) == (401, "eInvalidCredentials")
    new = await second_step(identity, account, step["challenge"], "recovery_code", replaced[0])
    assert new.status_code == 200, new.text


async def test_a_recovery_code_is_not_valid_for_another_user(identity: Identity, account: Account) -> None:
    headers, _ = await enable_totp(identity, account)
    codes = (await identity.http.put("/auth/recovery-codes", headers=headers)).json()["data"][
        "recovery_codes"
    ]
    other = await new_account(identity.wired, system_admin=True)
    await enable_totp(identity, other)
    step = await first_step(identity, other)
    theirs = await second_step(identity, other, step["challenge"], "recovery_code", codes[0])
    assert code_of(theirs) == (401, "eInvalidCredentials")


async def test_recovery_codes_alone_do_not_ask_for_a_second_step(
    identity: Identity, account: Account
) -> None:
    headers = await signed_in(identity, account)
    assert (await identity.http.put("/auth/recovery-codes", headers=headers)).status_code == 200
    assert "access_token" in (await log_in(identity.http, account)).json()["data"]


async def test_enumeration_is_unchanged_by_second_factors(identity: Identity, account: Account) -> None:
    await enable_totp(identity, account)
    unknown = await identity.http.post(
        "/auth/login", headers=account.key, json={"email": "nobody@example.com", "password": account.password}
    )
    wrong = await log_in(identity.http, account, "wrong-password")
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json() == wrong.json()
    assert unknown.json()["errors"][0]["code"] == "eInvalidCredentials"
