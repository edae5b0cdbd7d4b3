"""The mail `make run`'s SMTP sink keeps on disk, as the end-to-end tests read it."""

from __future__ import annotations

import re
import time
from email.message import EmailMessage

from e2e_stack import Stack
from proximity.devstack.smtp_sink import messages_to, text_of

TOKEN = re.compile(r"(https?://\S+[?&]token=([A-Za-z0-9_-]+))")


def mail_to(stack: Stack, address: str, within: float = 15) -> EmailMessage:
    deadline = time.monotonic() + within
    while not (found := messages_to(stack.mail, address)):
        assert time.monotonic() < deadline, f"no mail to {address} in {stack.mail}"
        time.sleep(0.1)
    return found[0]


def token_in(message: EmailMessage) -> tuple[str, str]:
    """The link in ``message`` and the token it carries."""
    found = TOKEN.search(text_of(message))
    assert found, "no link in the message"
    return found.group(1), found.group(2)
