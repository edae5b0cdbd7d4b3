"""Reading another context's event payload against the contract this consumer understands:
the tenant it must name, the model its ``data`` must fit, the payload major (``data.contract``)
it must carry. An event that fails is ``UnusableEvent``: parked at once, never misapplied."""

from __future__ import annotations

import uuid
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from proximity.events.consumer import UnusableEvent
from proximity.events.envelope import Event

M = TypeVar("M", bound=BaseModel)


def tenant_payload(event: Event, model: type[M], *, contract: int = 1) -> tuple[uuid.UUID, M]:
    """The event's tenant and its ``data`` as ``model`` (whose ``contract`` field, when it has
    one, must equal ``contract``)."""
    if event.tenant_id is None:
        raise UnusableEvent(f"{event.type} names no tenant")
    try:
        found = model.model_validate(event.data)
    except ValidationError as exc:
        raise UnusableEvent(f"{event.type} breaks its contract: {exc}") from None
    carried = getattr(found, "contract", contract)
    if carried != contract:
        raise UnusableEvent(f"{event.type} carries payload contract {carried}; this service reads {contract}")
    return event.tenant_id, found
