"""Who may do what on the bus: the one table of NATS users and the permissions derived from it.

Each process connects as its own user. A user publishes only its own context's subjects
(``<context>.>``) and manages only its own stream; on the streams it consumes it may read the
stream's description, make and read its consumers, pull and acknowledge messages. It cannot
delete, purge or reconfigure a stream that is not its own, nor forge another context's event.
Replies come back on an inbox prefix of its own (``_INBOX.<user>.``), so no user can read the
answers (pulled messages included) meant for another.

The nats-server configuration (``proximity.events.nats_config``), the dev stack, compose and
Kubernetes are all generated or checked from this table: a new service gets its line here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypedDict

from proximity.events.streams import stream_name

# Operators and test fixtures only (replaying, purging, inspecting any stream); never a service.
ADMIN = "admin"

JS_API = "$JS.API"


@dataclass(frozen=True)
class BusUser:
    name: str
    # The context whose subjects and stream this user owns; None: it publishes no events.
    context: str | None
    # The contexts whose streams it reads.
    consumes: tuple[str, ...] = field(default=())


# From docs/events.md and docs/architecture.md ("keeps read replicas of"). Every service but
# identity checks its callers itself and so follows identity's client and session events.
BUS_USERS: dict[str, BusUser] = {
    user.name: user
    for user in (
        BusUser("identity", "identity", consumes=("iam",)),
        BusUser("consents", "consents", consumes=("identity",)),
        BusUser("gateway", None, consumes=("identity",)),
        BusUser("assets", "assets", consumes=("identity", "contracts", "iam")),
        BusUser("contracts", "contracts", consumes=("identity", "assets", "iam")),
        BusUser("iam", "iam", consumes=("identity", "assets", "contracts")),
        BusUser("heatmaps", "heatmaps", consumes=("identity", "assets", "iam")),
    )
}


class SubjectRules(TypedDict):
    allow: list[str]


class Permissions(TypedDict):
    publish: SubjectRules
    subscribe: SubjectRules


def inbox_prefix(user: str) -> str:
    """Where ``user``'s replies arrive; its connection must use it (``connect`` does)."""
    return f"_INBOX.{user}"


def _owned_stream(context: str) -> list[str]:
    stream = stream_name(context)
    return [
        f"{context}.>",
        *(f"{JS_API}.STREAM.{verb}.{stream}" for verb in ("INFO", "CREATE", "UPDATE")),
    ]


def _consumed_stream(context: str) -> list[str]:
    stream = stream_name(context)
    return [
        f"{JS_API}.STREAM.INFO.{stream}",
        # CREATE.<stream>, and CREATE.<stream>.<consumer>[.<filter>] since nats-server 2.9.
        f"{JS_API}.CONSUMER.CREATE.{stream}",
        f"{JS_API}.CONSUMER.CREATE.{stream}.>",
        f"{JS_API}.CONSUMER.DURABLE.CREATE.{stream}.*",
        f"{JS_API}.CONSUMER.INFO.{stream}.*",
        f"{JS_API}.CONSUMER.MSG.NEXT.{stream}.*",
        f"$JS.ACK.{stream}.>",
    ]


def permissions(user: BusUser) -> Permissions:
    publish = [f"{JS_API}.INFO"]
    if user.context is not None:
        publish += _owned_stream(user.context)
    for context in user.consumes:
        publish += _consumed_stream(context)
    return {
        "publish": {"allow": list(dict.fromkeys(publish))},
        "subscribe": {"allow": [f"{inbox_prefix(user.name)}.>"]},
    }


def admin_permissions() -> Permissions:
    return {"publish": {"allow": [">"]}, "subscribe": {"allow": [">"]}}


def permissions_of(name: str) -> Permissions:
    return admin_permissions() if name == ADMIN else permissions(BUS_USERS[name])


def users_of(services: Iterable[str]) -> list[str]:
    """The bus users a deployment of ``services`` needs: theirs, and the operators' admin.
    A service without a line in the table is refused here, not at its first publish."""
    names = list(dict.fromkeys(services))
    unknown = [name for name in names if name not in BUS_USERS]
    if unknown:
        raise KeyError(f"no bus permissions for {', '.join(unknown)}: add them to BUS_USERS")
    return [*names, ADMIN]
