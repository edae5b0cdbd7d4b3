"""Email OTP (seed 002 ``GET/POST /auth/email-otp``) over real SMTP: the code arrives in the
sink, is stored as a keyed hash, expires, works once, is rate-limited, and finishes a login."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update
from sqlmodel import col, select

from identity.config import IdentitySettings
from identity.repositories.second_factor_tables import EmailOtpCode
from proximity.devstack.smtp_sink import SmtpSink, text_of
from tests.conftest import Account, Identity, recorded_events, signed_in
from tests.integration.mail_flows import mail_settings, update_rows
from tests.integration.second_factors import code_of, first_step, second_step

_CODE = re.compile(r"^\s+(\d{6})\s*$", re.MULTILINE)


@pytest.fixture
def settings(identity_database_url: str, nats_url: str, smtp_sink: SmtpSink) -> IdentitySettings:
    return mail_settings(identity_database_url, nats_url, smtp_sink)


async def mailed_code(sink: SmtpSink, account: Account, count: int) -> str:
    found = _CODE.search(text_of(await sink.wait_for(account.email.lower(), count=count)))
    assert found, "no code in the message"
    return found.group(1)


async def enable_email_otp(identity: Identity, account: Account, sink: SmtpSink) -> dict[str, str]:
    headers = await signed_in(identity, account)
    assert (await identity.http.get("/auth/email-otp", headers=headers)).status_code == 200
    code = await mailed_code(sink, account, 1)
    enabled = await identity.http.post("/auth/email-otp", headers=headers, json={"code": code})
    assert enabled.status_code == 200, enabled.text
    return headers


async def test_a_mailed_code_enables_email_otp_once(
    identity: Identity, account: Account, smtp_sink: SmtpSink, caplog: pytest.LogCaptureFixture
) -> None:
    headers = await signed_in(identity, account)
    sent = await identity.http.get("/auth/email-otp", headers=headers)
    assert sent.status_code == 200, sent.text
    message = await smtp_sink.wait_for(account.email.lower())
    assert message["Subject"] == "Your Proximity verification code"
    code = await mailed_code(smtp_sink, account, 1)
    async with identity.wired.reading() as session:
        stored = (
            await session.execute(select(EmailOtpCode).where(EmailOtpCode.user_id == account.user_id))
        ).scalar_one()
    assert code not in stored.code_hash

    wrong = "000000" if code != "000000" else "111111"
    assert code_of(await identity.http.post("/auth/email-otp", headers=headers, json={"code": wrong})) == (
        400,
        "eInvalidCode",
    )
    assert (
        await identity.http.post("/auth/email-otp", headers=headers, json={"code": code})
    ).status_code == 200
    reused = await identity.http.post("/auth/email-otp", headers=headers, json={"code": code})
    assert code_of(reused) == (400, "eInvalidCode")
    assert [
        e["data"]["factor"]
        for e in await recorded_events(identity, "identity.user.second_factor_changed", account.user_id)
    ] == ["email_otp"]
    assert code not in caplog.text + "".join(str(r.__dict__) for r in caplog.records)


async def test_an_expired_code_does_not_enable(
    identity: Identity, account: Account, smtp_sink: SmtpSink
) -> None:
    headers = await signed_in(identity, account)
    await identity.http.get("/auth/email-otp", headers=headers)
    code = await mailed_code(smtp_sink, account, 1)
    await update_rows(
        identity,
        update(EmailOtpCode)
        .where(col(EmailOtpCode.user_id) == account.user_id)
        .values(expires_at=datetime.now(UTC) - timedelta(seconds=1)),
    )
    expired = await identity.http.post("/auth/email-otp", headers=headers, json={"code": code})
    assert code_of(expired) == (400, "eInvalidCode")


async def test_too_many_wrong_tries_end_a_code(
    identity: Identity, account: Account, smtp_sink: SmtpSink
) -> None:
    headers = await signed_in(identity, account)
    await identity.http.get("/auth/email-otp", headers=headers)
    code = await mailed_code(smtp_sink, account, 1)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(identity.wired.settings.email_otp_max_attempts):
        await identity.http.post("/auth/email-otp", headers=headers, json={"code": wrong})
    late = await identity.http.post("/auth/email-otp", headers=headers, json={"code": code})
    assert code_of(late) == (400, "eInvalidCode")


async def test_asking_for_codes_is_rate_limited(
    identity: Identity, account: Account, smtp_sink: SmtpSink
) -> None:
    headers = await signed_in(identity, account)
    for _ in range(identity.wired.settings.mail_flow_limit):
        assert (await identity.http.get("/auth/email-otp", headers=headers)).status_code == 200
    limited = await identity.http.get("/auth/email-otp", headers=headers)
    assert code_of(limited) == (429, "eTooManyRequests")


async def test_login_mails_a_code_that_finishes_the_second_step_once(
    identity: Identity, account: Account, smtp_sink: SmtpSink
) -> None:
    await enable_email_otp(identity, account, smtp_sink)
    step = await first_step(identity, account)
    assert step["methods"] == ["email_otp"]
    message = await smtp_sink.wait_for(account.email.lower(), count=2)
    assert message["Subject"] == "Your Proximity sign-in code"
    code = await mailed_code(smtp_sink, account, 2)
    wrong = "000000" if code != "000000" else "111111"
    assert code_of(await second_step(identity, account, step["challenge"], "email_otp", wrong)) == (
        401,
        "eInvalidCredentials",
    )
    assert code_of(await second_step(identity, account, step["challenge"], "totp", code)) == (
        401,
        "eInvalidCredentials",
    )
    done = await second_step(identity, account, step["challenge"], "email_otp", code)
    assert done.status_code == 200, done.text
    assert "access_token" in done.json()["data"]

    again = await first_step(identity, account)
    reused = await second_step(identity, account, again["challenge"], "email_otp", code)
    assert code_of(reused) == (401, "eInvalidCredentials")
