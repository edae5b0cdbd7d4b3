"""What the gateway's integration tests share besides fixtures."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

import httpx
from nats.js import JetStreamContext

from proximity.events.envelope import Event

# ``async with start_gateway(**settings) as url``
StartGateway = Callable[..., AbstractAsyncContextManager[str]]


def code_of(response: httpx.Response) -> str:
    return str(response.json()["errors"][0]["code"])


async def publish(js: JetStreamContext, event: Event) -> None:
    await js.publish(event.subject, event.to_json(), headers={"Nats-Msg-Id": str(event.id)})
