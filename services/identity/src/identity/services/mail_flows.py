"""The rate limit every mailed flow shares (password reset, guest link, email code): at most
``mail_flow_limit`` mails per user and flow within ``mail_flow_window_seconds``."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from identity.config import IdentitySettings
from identity.repositories.auth_flows import IssuedRecord, issued_since, serialise_mail_flow
from proximity.db.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


async def mail_flow_open(
    uow: UnitOfWork,
    settings: IdentitySettings,
    flow: str,
    record: type[IssuedRecord],
    *,
    tenant_id: uuid.UUID,
    user_id: uuid.UUID,
    now: datetime,
) -> bool:
    """Whether one more ``record`` may be issued (and mailed) now. Takes the flow's per-user
    lock first, so parallel requests are counted one after another."""
    await serialise_mail_flow(uow.session, flow, user_id)
    since = now - timedelta(seconds=settings.mail_flow_window_seconds)
    if await issued_since(uow.session, record, tenant_id, user_id, since) >= settings.mail_flow_limit:
        log.info("mail flow rate limited", extra={"flow": flow, "user_id": str(user_id)})
        return False
    return True
