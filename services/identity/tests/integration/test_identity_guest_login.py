"""Guest login (seed 004) over real SMTP: a link at the tenant's own domain, confirmed once for
a session; always 202, and mail only for a user allowed OTP on a domain of the caller's tenant."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import jwt
import pytest
from sqlalchemy import func, update
from sqlmodel import col, select

from identity.config import IdentitySettings
from identity.repositories.auth_flow_tables import GuestLoginToken
from proximity.devstack.smtp_sink import SmtpSink
from tests.conftest import Account, Identity, new_account
from tests.integration.mail_flows import add_domain, link_in, mail_settings, update_rows, update_user


@pytest.fixture
def settings(identity_database_url: str, nats_url: str, smtp_sink: SmtpSink) -> IdentitySettings:
    return mail_settings(identity_database_url, nats_url, smtp_sink)


@pytest.fixture
async def guest(identity: Identity) -> tuple[Account, str]:
    """A user allowed OTP, and a domain key of its tenant."""
    account = await new_account(identity.wired)
    await update_user(identity, account.user_id, allow_otp=True)
    return account, await add_domain(identity, account.tenant_id)


async def initiate(
    identity: Identity, account: Account, domain: str, email: str | None = None
) -> httpx.Response:
    return await identity.http.post(
        "/auth2/guests/initiate", headers=account.key, json={"dk": domain, "email": email or account.email}
    )


async def confirm(identity: Identity, account: Account, token: str) -> httpx.Response:
    return await identity.http.post("/auth2/guests/confirm", headers=account.key, json={"token": token})


async def mailed_token(
    identity: Identity, guest: tuple[Account, str], sink: SmtpSink, *, count: int = 1
) -> str:
    account, domain = guest
    assert (await initiate(identity, account, domain)).status_code == 202
    return link_in(await sink.wait_for(account.email, count=count))[1]


def code_of(response: httpx.Response) -> str:
    code: str = response.json()["errors"][0]["code"]
    return code


async def test_the_mailed_link_starts_a_session(
    identity: Identity, guest: tuple[Account, str], smtp_sink: SmtpSink
) -> None:
    account, domain = guest
    # Domain keys are matched case-insensitively, as host names are.
    response = await initiate(identity, account, domain.upper())
    assert response.status_code == 202
    assert response.content == b""
    message = await smtp_sink.wait_for(account.email)
    link, token = link_in(message)
    assert link == f"https://{domain}/auth/guest?token={token}"

    confirmed = await confirm(identity, account, token)
    assert confirmed.status_code == 200, confirmed.text
    body = confirmed.json()
    assert body["data"]["session"] == {
        "dk": domain,
        "user_id": str(account.user_id),
        "email": account.email.lower(),
        "app_id": "proximity",
    }
    access_token = body["data"]["access_token"]
    claims = jwt.decode(access_token, options={"verify_signature": False})
    assert (claims["sub"], claims["tid"]) == (str(account.user_id), str(account.tenant_id))
    me = await identity.http.get("/users/me", headers={**account.key, "Authorization": access_token})
    assert me.status_code == 200
    assert me.json()["data"]["party_id"] == str(account.party_id)


async def test_a_token_works_once(
    identity: Identity, guest: tuple[Account, str], smtp_sink: SmtpSink
) -> None:
    account, _ = guest
    token = await mailed_token(identity, guest, smtp_sink)
    assert (await confirm(identity, account, token)).status_code == 200
    again = await confirm(identity, account, token)
    assert again.status_code == 401
    assert again.json() == {
        "errors": [
            {
                "code": "eInvalidGuestToken",
                "message": "The guest login token is wrong, expired or already used.",
            }
        ]
    }


async def test_wrong_and_expired_tokens_are_refused(
    identity: Identity, guest: tuple[Account, str], smtp_sink: SmtpSink
) -> None:
    account, _ = guest
    assert code_of(await confirm(identity, account, "not-a-token")) == "eInvalidGuestToken"
    token = await mailed_token(identity, guest, smtp_sink)
    past = datetime.now(UTC) - timedelta(seconds=1)
    await update_rows(
        identity,
        update(GuestLoginToken)
        .where(col(GuestLoginToken.user_id) == account.user_id)
        .values(expires_at=past),
    )
    expired = await confirm(identity, account, token)
    assert (expired.status_code, code_of(expired)) == (401, "eInvalidGuestToken")


async def test_the_token_expires_after_fifteen_minutes(
    identity: Identity, guest: tuple[Account, str], smtp_sink: SmtpSink
) -> None:
    account, _ = guest
    await mailed_token(identity, guest, smtp_sink)
    async with identity.wired.reading() as session:
        row = (
            await session.execute(select(GuestLoginToken).where(GuestLoginToken.user_id == account.user_id))
        ).scalar_one()
    assert row.expires_at - row.created_at == timedelta(minutes=15)


async def test_a_token_is_only_good_with_its_own_tenants_key(
    identity: Identity, guest: tuple[Account, str], smtp_sink: SmtpSink
) -> None:
    account, _ = guest
    token = await mailed_token(identity, guest, smtp_sink)
    other = await new_account(identity.wired)
    assert code_of(await confirm(identity, other, token)) == "eInvalidGuestToken"
    assert (await confirm(identity, account, token)).status_code == 200


async def test_a_user_no_longer_allowed_cannot_confirm(
    identity: Identity, guest: tuple[Account, str], smtp_sink: SmtpSink
) -> None:
    account, _ = guest
    token = await mailed_token(identity, guest, smtp_sink)
    await update_user(identity, account.user_id, allow_otp=False)
    assert code_of(await confirm(identity, account, token)) == "eInvalidGuestToken"


async def assert_no_mail(
    identity: Identity,
    smtp_sink: SmtpSink,
    guest: tuple[Account, str],
    unwanted: str,
    response: httpx.Response,
) -> None:
    """``response`` looks like any other initiation, and nothing reached ``unwanted``: a mail sent
    afterwards arrives first, and the refused request's work was done before it answered."""
    assert (response.status_code, response.content) == (202, b"")
    await mailed_token(identity, guest, smtp_sink)
    assert smtp_sink.messages_to(unwanted) == []


async def test_an_unknown_email_gets_the_same_answer_and_no_mail(
    identity: Identity, guest: tuple[Account, str], smtp_sink: SmtpSink
) -> None:
    account, domain = guest
    unknown = f"nobody-{uuid.uuid4().hex[:8]}@example.com"
    await assert_no_mail(
        identity, smtp_sink, guest, unknown, await initiate(identity, account, domain, unknown)
    )


async def test_a_user_without_allow_otp_gets_no_mail(
    identity: Identity, guest: tuple[Account, str], smtp_sink: SmtpSink
) -> None:
    account, domain = guest
    await update_user(identity, account.user_id, allow_otp=False)
    refused = await initiate(identity, account, domain)
    assert (refused.status_code, refused.content) == (202, b"")
    await update_user(identity, account.user_id, allow_otp=True)
    await mailed_token(identity, guest, smtp_sink)
    assert len(smtp_sink.messages_to(account.email)) == 1  # only the one sent once allowed


async def test_a_domain_of_another_tenant_gets_no_mail(
    identity: Identity, guest: tuple[Account, str], smtp_sink: SmtpSink
) -> None:
    account, _ = guest
    other = await new_account(identity.wired)
    foreign_domain = await add_domain(identity, other.tenant_id)
    first = await initiate(identity, account, foreign_domain)
    unknown = await initiate(identity, account, f"unknown-{uuid.uuid4().hex[:6]}.example.test")
    assert (first.status_code, first.content) == (unknown.status_code, unknown.content) == (202, b"")
    await mailed_token(identity, guest, smtp_sink)
    assert len(smtp_sink.messages_to(account.email)) == 1


async def test_initiations_beyond_the_limit_still_answer_202_but_send_nothing(
    identity: Identity, guest: tuple[Account, str], smtp_sink: SmtpSink
) -> None:
    account, domain = guest
    assert [(await initiate(identity, account, domain)).status_code for _ in range(4)] == [202] * 4
    await smtp_sink.wait_for(account.email, count=3)
    async with identity.wired.reading() as session:
        query = select(func.count()).where(GuestLoginToken.user_id == account.user_id)
        assert (await session.execute(query)).scalar_one() == 3


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/auth2/guests/initiate", {"email": "a@example.com"}),
        ("/auth2/guests/initiate", {"dk": "example.test"}),
        ("/auth2/guests/initiate", {"dk": "", "email": "a@example.com"}),
        ("/auth2/guests/initiate", {"dk": "d" * 254, "email": "a@example.com"}),
        ("/auth2/guests/confirm", {}),
        ("/auth2/guests/confirm", {"token": ""}),
        ("/auth2/guests/confirm", {"token": "t" * 201}),
    ],
)
async def test_bad_bodies_are_validation_errors(
    identity: Identity, account: Account, path: str, body: dict[str, str]
) -> None:
    response = await identity.http.post(path, headers=account.key, json=body)
    assert response.status_code == 400
    assert code_of(response) == "eValidationError"


async def test_a_client_key_is_required(identity: Identity) -> None:
    for path, body in [
        ("/auth2/guests/initiate", {"dk": "example.test", "email": "a@example.com"}),
        ("/auth2/guests/confirm", {"token": "t"}),
    ]:
        response = await identity.http.post(path, json=body)
        assert (response.status_code, code_of(response)) == (401, "eInvalidClientKey")
