"""Values under secret-looking keys never reach a log line."""

from __future__ import annotations

from typing import Any

from proximity.observability.logging import redact_secrets


def redact(**event: Any) -> dict[str, Any]:
    return dict(redact_secrets(None, "info", {"event": "something happened", **event}))


def test_secret_keys_are_masked() -> None:
    out = redact(
        password="hunter2",
        new_password="x",
        access_token="eyJ",
        refresh_token="r",
        Authorization="Bearer eyJ",
        client_secret="s",
        x_client_key="k",
    )

    assert set(out.values()) == {"***", "something happened"}


def test_other_keys_are_kept() -> None:
    out = redact(email="a@example.com", status=401, path="/auth/login", user_id="u1")

    assert out == {
        "event": "something happened",
        "email": "a@example.com",
        "status": 401,
        "path": "/auth/login",
        "user_id": "u1",
    }


def test_nested_dicts_are_masked() -> None:
    out = redact(
        request={
            "headers": {"authorization": "Bearer eyJ", "accept": "application/json"},
            "body": {"email": "a@example.com", "password": "hunter2", "profile": {"token": "t"}},
        }
    )

    assert out["request"] == {
        "headers": {"authorization": "***", "accept": "application/json"},
        "body": {"email": "a@example.com", "password": "***", "profile": {"token": "***"}},
    }


def test_a_whole_secret_dict_is_masked() -> None:
    assert redact(tokens={"access": "a", "refresh": "r"})["tokens"] == "***"


def test_the_message_itself_is_left_alone() -> None:
    assert redact()["event"] == "something happened"
