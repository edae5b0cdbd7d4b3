"""``consents.consent.<verb>`` envelopes: the consent's new state, version and the cause.

Payload contract (schema 1): ``data`` = ``{"consent": {id, type, userId, state, document,
contextUri, givenAt, requestRevokedAt, requestRescindedAt}, "actor": {kind, id}}``.
"""

from __future__ import annotations

import uuid

from consents.domain.consent import Consent
from consents.domain.events import ConsentEvent
from consents.hal.representations import summary_body
from proximity.events.envelope import Event


def envelope(tenant_id: uuid.UUID, consent: Consent, event: ConsentEvent) -> Event:
    state = {k: v for k, v in summary_body(consent).items() if k not in ("_profile", "_links")}
    state["id"] = state.pop("_id")
    return Event(
        type=event.subject,
        aggregate_id=consent.id,
        tenant_id=tenant_id,
        version=event.version,
        occurred_at=event.occurred_at,
        data={"consent": state, "actor": {"kind": event.actor.kind.value, "id": event.actor.id}},
    )
