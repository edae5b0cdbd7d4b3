"""What the email-flow tests share: identity settings that send to the test SMTP sink, reading
the token out of a received message, and changing rows the API cannot (yet) change."""

from __future__ import annotations

import re
import uuid
from email.message import EmailMessage
from typing import Any

import orjson
from sqlalchemy import update
from sqlmodel import col, select

from identity.config import IdentitySettings
from identity.repositories.tables import DomainKey, User
from proximity.devstack.smtp_sink import SmtpSink, text_of
from proximity.events.tables import OutboxMessage
from tests.conftest import Identity

_LINK = re.compile(r"(https?://\S+[?&]token=([A-Za-z0-9_-]+))")


def mail_settings(database_url: str, nats_url: str, sink: SmtpSink, **overrides: Any) -> IdentitySettings:
    values: dict[str, Any] = {"lockout_seconds": 2, "smtp_host": sink.host, "smtp_port": sink.port}
    return IdentitySettings(database_url=database_url, nats_url=nats_url, **{**values, **overrides})


def link_in(message: EmailMessage) -> tuple[str, str]:
    """(the link, its token) in a received message."""
    found = _LINK.search(text_of(message))
    assert found, "no link with a token in the message"
    return found.group(1), found.group(2)


async def update_user(identity: Identity, user_id: uuid.UUID, **values: Any) -> None:
    async with identity.wired.unit_of_work() as uow:
        await uow.session.execute(update(User).where(col(User.id) == user_id).values(**values))
        await uow.commit()


async def update_rows(identity: Identity, statement: Any) -> None:
    async with identity.wired.unit_of_work() as uow:
        await uow.session.execute(statement)
        await uow.commit()


async def add_domain(identity: Identity, tenant_id: uuid.UUID) -> str:
    domain = f"guest-{uuid.uuid4().hex[:10]}.example.test"
    async with identity.wired.unit_of_work() as uow:
        uow.session.add(DomainKey(domain=domain, tenant_id=tenant_id))
        await uow.commit()
    return domain


async def events_of(identity: Identity, subject: str) -> list[dict[str, Any]]:
    async with identity.wired.reading() as session:
        rows = (
            await session.execute(select(OutboxMessage).where(OutboxMessage.subject == subject))
        ).scalars()
        return [orjson.loads(row.payload) for row in rows]
