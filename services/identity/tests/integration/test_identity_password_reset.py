"""Password reset (seed 002) over real SMTP: the link arrives in the sink, works once, ends
every session, and no answer tells whether an email exists."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import delete, func, update
from sqlmodel import col, select

from identity.config import IdentitySettings
from identity.repositories.auth_flow_tables import PasswordResetToken, PendingMail
from proximity.devstack.smtp_sink import SmtpSink
from tests.conftest import Account, Identity, log_in, new_account, running
from tests.integration.mail_flows import events_of, link_in, mail_settings, update_rows, update_user

NEW_PASSWORD = "a-New-passw0rd"


@pytest.fixture
def settings(identity_database_url: str, nats_url: str, smtp_sink: SmtpSink) -> IdentitySettings:
    return mail_settings(identity_database_url, nats_url, smtp_sink)


async def ask(identity: Identity, account: Account, email: str | None = None) -> httpx.Response:
    return await identity.http.post(
        "/auth/reset-password", headers=account.key, json={"email": email or account.email}
    )


async def reset(
    identity: Identity, account: Account, token: str, password: str = NEW_PASSWORD
) -> httpx.Response:
    return await identity.http.put(
        "/auth/reset-password", headers=account.key, json={"token": token, "password": password}
    )


async def mailed_token(identity: Identity, account: Account, sink: SmtpSink, *, count: int = 1) -> str:
    assert (await ask(identity, account)).status_code == 202
    return link_in(await sink.wait_for(account.email, count=count))[1]


def code_of(response: httpx.Response) -> str:
    code: str = response.json()["errors"][0]["code"]
    return code


async def test_the_mailed_link_sets_a_new_password(
    identity: Identity, account: Account, smtp_sink: SmtpSink, caplog: pytest.LogCaptureFixture
) -> None:
    response = await ask(identity, account)
    assert response.status_code == 202
    assert response.content == b""
    message = await smtp_sink.wait_for(account.email)
    assert message["Subject"] == "Reset your Proximity password"
    link, token = link_in(message)
    assert link.startswith("http://localhost/auth/reset-password?token=")

    done = await reset(identity, account, token)
    assert done.status_code == 200, done.text
    assert done.headers["cache-control"] == "no-store"
    assert (await log_in(identity.http, account, NEW_PASSWORD)).status_code == 200
    assert (await log_in(identity.http, account)).status_code == 401
    assert [e["aggregate_id"] for e in await events_of(identity, "identity.user.password_changed")].count(
        str(account.user_id)
    ) == 1
    logged = caplog.text + "".join(str(record.__dict__) for record in caplog.records)
    assert "mail sent" in logged
    assert token not in logged
    assert NEW_PASSWORD not in logged


async def test_a_token_works_once(identity: Identity, account: Account, smtp_sink: SmtpSink) -> None:
    token = await mailed_token(identity, account, smtp_sink)
    assert (await reset(identity, account, token)).status_code == 200
    again = await reset(identity, account, token, "another-Passw0rd")
    assert again.status_code == 400
    assert code_of(again) == "eInvalidResetToken"
    assert (await log_in(identity.http, account, NEW_PASSWORD)).status_code == 200


async def test_a_reset_spends_every_other_link_of_the_user(
    identity: Identity, account: Account, smtp_sink: SmtpSink
) -> None:
    first = await mailed_token(identity, account, smtp_sink)
    second = await mailed_token(identity, account, smtp_sink, count=2)
    assert first != second
    assert (await reset(identity, account, second)).status_code == 200
    assert code_of(await reset(identity, account, first)) == "eInvalidResetToken"


async def test_wrong_and_expired_tokens_are_refused(
    identity: Identity, account: Account, smtp_sink: SmtpSink
) -> None:
    wrong = await reset(identity, account, "not-a-token")
    assert wrong.status_code == 400
    assert wrong.json() == {
        "errors": [
            {
                "code": "eInvalidResetToken",
                "message": "The password reset token is wrong, expired or already used.",
            }
        ]
    }
    token = await mailed_token(identity, account, smtp_sink)
    past = datetime.now(UTC) - timedelta(seconds=1)
    await update_rows(
        identity,
        update(PasswordResetToken)
        .where(col(PasswordResetToken.user_id) == account.user_id)
        .values(expires_at=past),
    )
    expired = await reset(identity, account, token)
    assert expired.status_code == 400
    assert code_of(expired) == "eInvalidResetToken"
    assert (await log_in(identity.http, account)).status_code == 200


async def test_a_token_is_only_good_with_its_own_tenants_key(
    identity: Identity, account: Account, smtp_sink: SmtpSink
) -> None:
    token = await mailed_token(identity, account, smtp_sink)
    other = await new_account(identity.wired)
    response = await reset(identity, other, token)
    assert response.status_code == 400
    assert code_of(response) == "eInvalidResetToken"
    assert (await reset(identity, account, token)).status_code == 200


async def test_an_inactive_user_cannot_reset(
    identity: Identity, account: Account, smtp_sink: SmtpSink
) -> None:
    token = await mailed_token(identity, account, smtp_sink)
    await update_user(identity, account.user_id, suspended_at=datetime.now(UTC))
    response = await reset(identity, account, token)
    assert response.status_code == 400
    assert code_of(response) == "eInactiveUser"


@pytest.mark.parametrize(
    ("password", "says"),
    [
        ("Short1", "at least 10 characters"),
        ("x" * 1025 + "A", "at most 1024 characters"),
        ("onlylowercaseletters", "two kinds of characters"),
        ("1234567890123", "two kinds of characters"),
        ("Password123", "too common"),
        (None, "email address"),
    ],
)
async def test_the_password_policy_names_the_broken_rule(
    identity: Identity, account: Account, smtp_sink: SmtpSink, password: str | None, says: str
) -> None:
    token = await mailed_token(identity, account, smtp_sink)
    response = await reset(identity, account, token, password or account.email.upper())
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["code"] == "eInvalidPassword"
    assert says in error["message"]
    # The token is not spent by a refused password: the user tries another one.
    assert (await reset(identity, account, token)).status_code == 200


async def test_every_session_ends_with_a_reset(
    identity: Identity, account: Account, smtp_sink: SmtpSink
) -> None:
    sessions = [(await log_in(identity.http, account)).json()["data"] for _ in range(2)]
    token = await mailed_token(identity, account, smtp_sink)
    assert (await reset(identity, account, token)).status_code == 200

    for tokens in sessions:
        refreshed = await identity.http.post(
            "/auth/refresh", headers=account.key, json={"refresh_token": tokens["refresh_token"]}
        )
        assert refreshed.status_code == 401
        assert code_of(refreshed) == "eInvalidRefreshToken"
        me = await identity.http.get(
            "/users/me", headers={**account.key, "Authorization": tokens["access_token"]}
        )
        assert me.status_code == 401
        assert code_of(me) == "eSessionRevoked"
    revoked = [
        e["data"]
        for e in await events_of(identity, "identity.session.revoked")
        if e["data"]["user_id"] == str(account.user_id)
    ]
    assert len(revoked) == 2
    assert {e["reason"] for e in revoked} == {"password_reset"}


async def test_a_reset_lifts_the_lockout(identity: Identity, account: Account, smtp_sink: SmtpSink) -> None:
    for _ in range(4):
        assert (await log_in(identity.http, account, "wrong-password")).status_code == 401
    assert (await log_in(identity.http, account)).status_code == 401  # locked
    token = await mailed_token(identity, account, smtp_sink)
    assert (await reset(identity, account, token)).status_code == 200
    assert (await log_in(identity.http, account, NEW_PASSWORD)).status_code == 200


async def test_an_unknown_email_gets_the_same_answer_and_no_mail(
    identity: Identity, account: Account, smtp_sink: SmtpSink
) -> None:
    unknown = f"nobody-{uuid.uuid4().hex[:8]}@example.com"
    stranger = await ask(identity, account, unknown)
    known = await ask(identity, account)
    assert (stranger.status_code, stranger.content) == (known.status_code, known.content) == (202, b"")
    assert stranger.headers.get("content-type") == known.headers.get("content-type")
    # The known address's mail arrives; the unknown one's work was done before its answer
    # returned (the in-process client waits for it), and it sent nothing.
    await smtp_sink.wait_for(account.email)
    assert smtp_sink.messages_to(unknown) == []


async def test_another_tenants_user_gets_no_mail(
    identity: Identity, account: Account, smtp_sink: SmtpSink
) -> None:
    other = await new_account(identity.wired)
    assert (await ask(identity, other, account.email)).status_code == 202
    assert (await ask(identity, other)).status_code == 202
    await smtp_sink.wait_for(other.email)
    assert smtp_sink.messages_to(account.email) == []


async def test_requests_beyond_the_limit_still_answer_202_but_send_nothing(
    identity: Identity, account: Account, smtp_sink: SmtpSink
) -> None:
    answers = [(await ask(identity, account)).status_code for _ in range(4)]
    assert answers == [202] * 4
    await smtp_sink.wait_for(account.email, count=3)
    async with identity.wired.reading() as session:
        query = select(func.count()).where(PasswordResetToken.user_id == account.user_id)
        assert (await session.execute(query)).scalar_one() == 3


@pytest.mark.parametrize(
    ("method", "body"),
    [
        ("POST", {}),
        ("POST", {"email": ""}),
        ("POST", {"email": "x" * 321}),
        ("PUT", {"token": "t"}),
        ("PUT", {"password": "p"}),
        ("PUT", {"token": "", "password": "a-New-passw0rd"}),
        ("PUT", {"token": "t" * 201, "password": "a-New-passw0rd"}),
    ],
)
async def test_bad_bodies_are_validation_errors(
    identity: Identity, account: Account, method: str, body: dict[str, str]
) -> None:
    response = await identity.http.request(method, "/auth/reset-password", headers=account.key, json=body)
    assert response.status_code == 400
    assert code_of(response) == "eValidationError"


async def test_a_client_key_is_required(identity: Identity, account: Account) -> None:
    asked = await identity.http.post("/auth/reset-password", json={"email": account.email})
    assert (asked.status_code, code_of(asked)) == (401, "eInvalidClientKey")
    done = await identity.http.put("/auth/reset-password", json={"token": "t", "password": NEW_PASSWORD})
    assert (done.status_code, code_of(done)) == (401, "eInvalidClientKey")
    malformed = await identity.http.post(
        "/auth/reset-password", headers={**account.key, "Content-Type": "application/json"}, content=b"{"
    )
    assert (malformed.status_code, code_of(malformed)) == (400, "eMalformedJson")


@pytest.fixture
async def silent_smtp() -> AsyncIterator[int]:
    """A server that accepts connections and never says a word: the slowest SMTP there is."""
    held: list[asyncio.StreamWriter] = []

    async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        for writer in held:
            writer.close()
        server.close()


async def test_a_silent_mail_server_holds_up_nothing(
    identity_database_url: str, nats_url: str, smtp_sink: SmtpSink, silent_smtp: int
) -> None:
    slow = mail_settings(
        identity_database_url, nats_url, smtp_sink, smtp_port=silent_smtp, smtp_timeout_seconds=0.5
    )
    async with running(slow) as identity:
        account = await new_account(identity.wired)
        # Answered while the message is still waiting for a server that never replies.
        assert (await ask(identity, account)).status_code == 202
        async with identity.wired.reading() as session:
            query = select(PendingMail).where(PendingMail.recipient == account.email.lower())
            pending = (await session.execute(query)).scalar_one()
        # The attempt times out, is counted, and the mail waits for its retry.
        async with asyncio.timeout(10):
            while pending.attempts == 0:
                await asyncio.sleep(0.05)
                async with identity.wired.reading() as session:
                    pending = (await session.execute(query)).scalar_one()
        assert pending.next_attempt_at > datetime.now(UTC)
        assert smtp_sink.messages_to(account.email) == []
        # Not left for later tests' senders.
        await update_rows(identity, delete(PendingMail).where(col(PendingMail.id) == pending.id))
