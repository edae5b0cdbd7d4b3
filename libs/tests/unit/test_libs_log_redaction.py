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


JWT = "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJl"


def test_secrets_inside_lists_and_tuples_are_masked() -> None:
    out = redact(
        sessions=[{"id": "s1", "refresh_token": "r1"}, {"id": "s2", "refresh_token": "r2"}],
        pair=("a@example.com", {"password": "hunter2"}),
        request={"attempts": [{"headers": {"authorization": "Bearer eyJ"}}]},
    )

    assert out["sessions"] == [{"id": "s1", "refresh_token": "***"}, {"id": "s2", "refresh_token": "***"}]
    assert out["pair"] == ("a@example.com", {"password": "***"})
    assert out["request"] == {"attempts": [{"headers": {"authorization": "***"}}]}


def test_positional_arguments_after_a_secret_word_are_masked() -> None:
    out = redact(event="issued reset token %s for user %s", positional_args=("tok-123", "u1"))

    assert out["event"] == "issued reset token *** for user u1"
    assert "positional_args" not in out


def test_positional_arguments_spelled_with_punctuation_and_conversions() -> None:
    out = redact(event="password=%r, 100%% of %d tries, secret: '%s'", positional_args=("hunter2", 3, "s3"))

    assert out["event"] == "password='***', 100% of 3 tries, secret: '***'"


def test_a_mapping_argument_is_masked_by_key() -> None:
    out = redact(
        event="login %(email)s with %(password)s", positional_args=({"email": "a@x", "password": "p"},)
    )

    assert out["event"] == "login a@x with ***"


def test_credentials_are_masked_by_their_shape_wherever_they_are() -> None:
    out = redact(
        event=f"calling with {JWT}",
        header="Authorization: Bearer abc.def",
        basic="basic dXNlcjpwYXNz",
        urls=[f"http://x/?t={JWT}"],
        positional_args=(),
    )

    assert out["event"] == "calling with ***"
    assert out["header"] == "Authorization: Bearer ***"
    assert out["basic"] == "basic ***"
    assert out["urls"] == ["http://x/?t=***"]


def test_a_template_that_does_not_fit_its_arguments_is_still_logged_masked() -> None:
    out = redact(event="token %s and %s", positional_args=("t1",))

    assert out["event"].startswith("token %s and %s")
    assert "t1" not in out["event"]
