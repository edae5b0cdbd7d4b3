"""The bus table: what each service may publish and subscribe, derived from one place."""

from __future__ import annotations

import pytest

from proximity.events.bus_permissions import ADMIN, BUS_USERS, inbox_prefix, permissions, users_of
from proximity.events.nats_config import authorization, password_variable
from proximity.events.streams import stream_name

CONTEXTS = {user.context for user in BUS_USERS.values() if user.context}
SERVICES = sorted(BUS_USERS)
ALLOWED_API = {
    "INFO",
    "STREAM.INFO",
    "STREAM.CREATE",
    "STREAM.UPDATE",
    "CONSUMER.CREATE",
    "CONSUMER.DURABLE.CREATE",
    "CONSUMER.INFO",
    "CONSUMER.MSG.NEXT",
}


@pytest.mark.parametrize("name", SERVICES)
def test_a_service_publishes_events_on_its_own_context_only(name: str) -> None:
    user = BUS_USERS[name]
    events = [s for s in permissions(user)["publish"]["allow"] if not s.startswith("$JS.")]
    assert events == ([f"{user.context}.>"] if user.context else [])


@pytest.mark.parametrize("name", SERVICES)
def test_a_service_administers_its_own_stream_only_and_never_deletes_or_purges(name: str) -> None:
    user = BUS_USERS[name]
    stream_api = [s for s in permissions(user)["publish"]["allow"] if s.startswith("$JS.API.STREAM.")]
    own = stream_name(user.context) if user.context else None
    for subject in stream_api:
        verb, stream = subject.removeprefix("$JS.API.STREAM.").split(".", 1)
        assert verb in ("INFO", "CREATE", "UPDATE")
        assert verb == "INFO" or stream == own, subject
    # Whatever JetStream API a service may call is one of these; no wildcard reaches the rest
    # (delete, purge, message delete, snapshot, restore, leader and peer moves, stream names).
    for subject in permissions(user)["publish"]["allow"]:
        assert not subject.startswith((">", "*", "$JS.>", "$JS.*", "$JS.API.>", "$JS.API.*"))
        if subject.startswith("$JS.API."):
            tokens = subject.removeprefix("$JS.API.").split(".")
            api = ".".join(t for t in tokens if t.isupper() and t not in {stream_name(c) for c in CONTEXTS})
            assert api in ALLOWED_API, subject


@pytest.mark.parametrize("name", SERVICES)
def test_consumer_rights_only_on_the_streams_it_consumes(name: str) -> None:
    user = BUS_USERS[name]
    consumed = {stream_name(c) for c in user.consumes}
    for subject in permissions(user)["publish"]["allow"]:
        if subject.startswith(("$JS.API.CONSUMER.", "$JS.ACK.")):
            stream = subject.split(".")[-2] if subject.endswith((".*", ".>")) else subject.split(".")[-1]
            if subject.startswith("$JS.ACK."):
                stream = subject.split(".")[2]
            assert stream in consumed, subject


@pytest.mark.parametrize("name", SERVICES)
def test_replies_come_on_the_users_own_inbox_only(name: str) -> None:
    assert permissions(BUS_USERS[name])["subscribe"]["allow"] == [f"{inbox_prefix(name)}.>"]


def test_the_table_knows_the_consumers_the_catalogue_names() -> None:
    """docs/events.md: identity reads iam's permissions; every other service and the gateway
    follow identity's revocations (libs' caller check)."""
    assert "iam" in BUS_USERS["identity"].consumes
    for name in SERVICES:
        if name != "identity":
            assert "identity" in BUS_USERS[name].consumes, name
    for user in BUS_USERS.values():
        assert set(user.consumes) <= CONTEXTS
        assert user.context not in user.consumes


def test_a_deployment_gets_its_services_users_and_the_admin_and_no_unknown_service() -> None:
    assert users_of(["identity", "consents", "gateway"]) == ["identity", "consents", "gateway", ADMIN]
    with pytest.raises(KeyError, match="billing"):
        users_of(["identity", "billing"])


def test_the_server_block_holds_given_passwords_quoted_or_reads_them_from_the_environment() -> None:
    given = authorization(["identity"], {"identity": 'p"w$x'})
    assert 'password: "p\\"w$x"' in given
    from_env = authorization(["identity", ADMIN])
    assert f"password: ${password_variable('identity')}," in from_env
    assert f"password: ${password_variable(ADMIN)}," in from_env
    assert '"$JS.API.STREAM.CREATE.IDENTITY"' in from_env  # quoted: not a variable
