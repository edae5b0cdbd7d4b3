"""Outgoing mail. A use case writes the message to the mail outbox in its own transaction
(``enqueue``); ``MailDelivery`` sends what is due over SMTP after the commit, so a slow or
absent mail server never holds up a response, and a failed send is retried with backoff.

Nothing here logs a body, a link or a token: only the row id and the kind of failure.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

import aiosmtplib
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from identity.config import IdentitySettings
from identity.repositories.auth_flow_tables import PendingMail
from identity.repositories.mail_outbox import next_due_for_update
from proximity.background import stop_requested
from proximity.db.unit_of_work import UnitOfWork
from proximity.delivery import DeliveryLoop
from proximity.runtime import Runtime

log = logging.getLogger(__name__)

_START_TLS = {"auto": None, "starttls": True, "tls": False, "none": False}
MAX_RETRY_DELAY = timedelta(minutes=10)


def enqueue(uow: UnitOfWork, *, tenant_id: uuid.UUID | None, to: str, subject: str, body: str) -> None:
    """Send ``body`` to ``to`` once this unit of work commits (never if it rolls back)."""
    uow.session.add(PendingMail(tenant_id=tenant_id, recipient=to, subject=subject, body=body))


def compose(settings: IdentitySettings, mail: PendingMail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = mail.recipient
    message["Subject"] = mail.subject
    message["Date"] = formatdate(usegmt=True)
    # The row id in the Message-ID: a resend after a crash is recognisably the same message.
    message["Message-ID"] = make_msgid(idstring=mail.id.hex, domain="proximity")
    message.set_content(mail.body)
    return message


async def send(settings: IdentitySettings, message: EmailMessage) -> None:
    await aiosmtplib.send(
        message,
        hostname=settings.smtp_host,
        port=settings.smtp_port,
        # An empty value (an unset Kubernetes secret key) means no login, not an empty one.
        username=settings.smtp_username or None,
        password=settings.smtp_password or None,
        use_tls=settings.smtp_tls == "tls",
        start_tls=_START_TLS[settings.smtp_tls],
        timeout=settings.smtp_timeout_seconds,
    )


def retry_delay(attempts: int) -> timedelta:
    return min(timedelta(seconds=2**attempts), MAX_RETRY_DELAY)


class MailDelivery:
    """Sends the mail outbox. One message per transaction, row-locked with ``SKIP LOCKED``:
    replicas share the work, and a crash between sending and deleting resends (at least once)."""

    def __init__(
        self,
        settings: IdentitySettings,
        sessionmaker: async_sessionmaker[AsyncSession],
        *,
        poll_interval: float = 1.0,
    ) -> None:
        self._settings = settings
        self._sessionmaker = sessionmaker
        self._loop = DeliveryLoop(self.send_one, name="mail delivery", poll_interval=poll_interval)

    def wake(self) -> None:
        """Called after a commit that enqueued mail: send now rather than at the next poll."""
        self._loop.wake()

    async def send_one(self) -> bool:
        """Send (or fail to send) the next due message; False when none is due."""
        async with self._sessionmaker() as session, session.begin():
            now = datetime.now(UTC)
            mail = await next_due_for_update(session, now)
            if mail is None:
                return False
            try:
                await send(self._settings, compose(self._settings, mail))
            except Exception as exc:
                if stop_requested():
                    raise asyncio.CancelledError() from None
                self._failed(mail, exc, now)
                if mail.attempts >= self._settings.mail_max_attempts:
                    await session.delete(mail)
                return True
            await session.delete(mail)
            log.info("mail sent", extra={"mail_id": str(mail.id), "attempts": mail.attempts + 1})
            return True

    def _failed(self, mail: PendingMail, exc: Exception, now: datetime) -> None:
        mail.attempts += 1
        mail.next_attempt_at = now + retry_delay(mail.attempts)
        # The exception's type only: SMTP replies can quote the recipient or the message.
        details = {"mail_id": str(mail.id), "attempts": mail.attempts, "error": type(exc).__name__}
        if mail.attempts >= self._settings.mail_max_attempts:
            log.error("mail abandoned after repeated failures", extra=details)
        else:
            log.warning("mail not sent; will retry", extra=details)

    async def run(self) -> None:
        """Send until cancelled; survives database and SMTP outages."""
        await self._loop.run()


def start_mail_delivery(settings: IdentitySettings, runtime: Runtime) -> MailDelivery:
    """The app's sender, running as one of the runtime's background tasks (stopped with it)."""
    delivery = MailDelivery(settings, runtime.sessionmaker)
    if settings.events_enabled:
        runtime.tasks.append(asyncio.create_task(delivery.run(), name="mail-delivery"))
    return delivery


def delivery_of(app_state: Any) -> MailDelivery:
    """The sender the app's lifespan started (``app.state.mail``)."""
    found: MailDelivery = app_state.mail
    return found
