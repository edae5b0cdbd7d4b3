"""Consents for the unit tests, each brought to its state through the real transitions."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from consents.domain.consent import Consent
from consents.domain.document import Document
from consents.domain.history import Actor, ActorKind
from consents.domain.states import ConsentState

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)
USER = Actor(ActorKind.USER, "party-1")
ADMIN = Actor(ActorKind.ADMINISTRATOR, "party-admin")
SERVICE = Actor(ActorKind.SERVICE, "accounts")
DOC = Document(
    uri="/vault/files/terms/content",
    revised_at=datetime(2019, 7, 23, 8, 26, 45, tzinfo=UTC),
    revision_id="2019:1.02.0",
    content_type="application/pdf",
)
PRODUCT = "/products/products/dda1"
REVISED_DOC = replace(DOC, revised_at=datetime(2019, 10, 5, 10, 30, tzinfo=UTC), revision_id="2019:1.2.0")

_ids = itertools.count(1)


def make(
    state: ConsentState = ConsentState.PENDING,
    *,
    type: str = "termsAndConditions",
    user_id: str = "party-1",
    document: Document = DOC,
    context_uri: str | None = PRODUCT,
    keep_events: bool = False,
) -> Consent:
    """A consent in ``state``, reached the way a real one is (request, then give, ...)."""
    consent = Consent.request(
        id=f"consent-{next(_ids)}",
        type=type,
        user_id=user_id,
        document=document,
        context_uri=context_uri,
        at=NOW,
        actor=SERVICE,
    )
    if state in (ConsentState.GIVEN, ConsentState.STALE, ConsentState.REVOKED):
        consent.give(at=NOW, actor=USER)
    if state is ConsentState.STALE:
        consent.mark_stale(REVISED_DOC if document == DOC else document, at=NOW, actor=SERVICE)
    if state is ConsentState.REVOKED:
        consent.revoke(at=NOW, actor=USER)
    if state is ConsentState.RESCINDED:
        consent.rescind(at=NOW, actor=SERVICE)
    if not keep_events:
        consent.events.clear()
    assert consent.state is state
    return consent
