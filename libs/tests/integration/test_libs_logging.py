"""The JSON log lines a service writes: one object per line, carrying the service and the
request id, with secrets masked whoever logged them (structlog or plain ``logging``)."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

import orjson
import pytest
import structlog

from proximity.observability.logging import configure_logging


@contextlib.contextmanager
def configured() -> Iterator[None]:
    """``configure_logging`` changes process-wide state: put it back afterwards. Entered in
    the test itself, so its handler writes to the stdout ``capsys`` reads."""
    root = logging.getLogger()
    handlers, level, config = root.handlers[:], root.level, structlog.get_config()
    configure_logging("libs-test", "debug")
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        structlog.configure(**config)


def lines(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    return [orjson.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]


def test_structlog_lines_are_json_with_request_id_and_masked_secrets(
    capsys: pytest.CaptureFixture[str],
) -> None:
    log = structlog.get_logger("libs.test")
    with configured(), structlog.contextvars.bound_contextvars(request_id="req-12345678"):
        log.info("login attempted", email="a@example.com", password="hunter2", body={"refresh_token": "r"})

    [line] = lines(capsys)
    assert line["event"] == "login attempted"
    assert line["service"] == "libs-test"
    assert line["request_id"] == "req-12345678"
    assert line["level"] == "info"
    assert line["email"] == "a@example.com"
    assert line["password"] == "***"
    assert line["body"] == {"refresh_token": "***"}
    assert "hunter2" not in str(line)


def test_stdlib_lines_go_the_same_way(capsys: pytest.CaptureFixture[str]) -> None:
    with configured():
        logging.getLogger("some.library").warning(
            "token refresh", extra={"authorization": "Bearer eyJ", "n": 2}
        )

    [line] = lines(capsys)
    assert line["event"] == "token refresh"
    assert line["service"] == "libs-test"
    assert line["level"] == "warning"
    assert line["authorization"] == "***"
    assert line["n"] == 2


def test_stdlib_positional_secrets_are_masked(capsys: pytest.CaptureFixture[str]) -> None:
    with configured():
        logging.getLogger("some.library").info("reset token %s mailed to %s", "tok-123", "a@example.com")
        logging.getLogger("some.library").info(
            "sessions", extra={"sessions": [{"id": "s1", "refresh_token": "r1"}]}
        )

    first, second = lines(capsys)
    assert first["event"] == "reset token *** mailed to a@example.com"
    assert second["sessions"] == [{"id": "s1", "refresh_token": "***"}]
    assert "tok-123" not in str(first)
    assert "r1" not in str(second)


def test_structlog_positional_secrets_are_masked(capsys: pytest.CaptureFixture[str]) -> None:
    log = structlog.get_logger("libs.test")
    with configured():
        log.info("client secret %s for %s", "s3cret", "reports")

    [line] = lines(capsys)
    assert line["event"] == "client secret *** for reports"
    assert "s3cret" not in str(line)
