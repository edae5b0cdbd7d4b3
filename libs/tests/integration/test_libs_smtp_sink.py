"""The SMTP sink of `make run` and the tests: what is sent over SMTP is kept, found by recipient."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import aiosmtplib
import pytest

from proximity.devstack.smtp_sink import SmtpSink, messages_to, smtp_sink, text_of


def message(to: str, body: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = "sender@example.com", to, "Hello"
    mail.set_content(body)
    return mail


async def test_messages_are_kept_and_found_by_recipient(tmp_path: Path) -> None:
    with smtp_sink(tmp_path / "mail") as sink:
        await aiosmtplib.send(message("Ada@Example.com", "first"), hostname=sink.host, port=sink.port)
        await aiosmtplib.send(message("bob@example.com", "other"), hostname=sink.host, port=sink.port)
        await aiosmtplib.send(message("ada@example.com", "second"), hostname=sink.host, port=sink.port)
        second = await sink.wait_for("ada@example.com", count=2)
        assert text_of(second).strip() == "second"
    # The files outlive the server: another process (an e2e test) reads the directory.
    kept = messages_to(tmp_path / "mail", "ADA@example.com")
    assert [text_of(m).strip() for m in kept] == ["first", "second"]
    assert len(list((tmp_path / "mail").glob("*.eml"))) == 3


async def test_waiting_for_a_message_that_never_comes_times_out(smtp_sink: SmtpSink) -> None:
    with pytest.raises(TimeoutError):
        await smtp_sink.wait_for("nobody@example.com", within=0.2)


async def test_two_sinks_never_share_a_port(tmp_path: Path) -> None:
    with smtp_sink(tmp_path / "a") as first, smtp_sink(tmp_path / "b") as second:
        assert first.port != second.port
        assert first.port > 0
