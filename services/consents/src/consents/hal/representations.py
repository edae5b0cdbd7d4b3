"""HAL representations of consents (seed 001 ``consent`` and ``summaryConsent``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import orjson
from starlette.responses import JSONResponse

from consents.domain.consent import Consent
from consents.domain.history import HistoryEntry
from consents.domain.states import Action, is_needed
from proximity.http.hal_errors import HAL_MEDIA_TYPE

API_ROOT = "/consents"
CONSENT_PROFILE = "https://api.apiture.com/schemas/consents/consent/v1.0.0/profile.json"
SUMMARY_PROFILE = "https://api.apiture.com/schemas/consents/summaryConsent/v1.0.0/profile.json"
HISTORY_PROFILE = "https://api.apiture.com/schemas/consents/consentHistory/v1.0.0/profile.json"
GIVE, REVOKE, RESCIND = "apiture:give", "apiture:revoke", "apiture:rescind"


class HalJSON(JSONResponse):
    """``application/hal+json`` rendered by orjson."""

    media_type = HAL_MEDIA_TYPE

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)


def timestamp(value: datetime | None) -> str | None:
    """RFC 3339 UTC with milliseconds, as the seed writes them: ``2019-07-23T08:26:45.375Z``."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def consent_href(consent_id: str) -> str:
    return f"{API_ROOT}/consents/{consent_id}"


def link(href: str, **extra: Any) -> dict[str, Any]:
    return {"href": href, **extra}


def _links(consent: Consent) -> dict[str, Any]:
    links = {"self": link(consent_href(consent.id))}
    allowed = consent.allowed_actions
    if Action.GIVE in allowed and is_needed(consent.state):
        links[GIVE] = link(f"{API_ROOT}/givenConsents?consent={consent.id}", method="POST")
    if Action.REVOKE in allowed:
        links[REVOKE] = link(f"{API_ROOT}/revokedConsents?consent={consent.id}", method="POST")
    if Action.RESCIND in allowed:
        links[RESCIND] = link(f"{API_ROOT}/rescindedConsents?consent={consent.id}", method="POST")
    return links


def _fields(consent: Consent) -> dict[str, Any]:
    document = consent.document
    body: dict[str, Any] = {
        "_id": consent.id,
        "document": {
            "uri": document.uri,
            "contentType": document.content_type,
            "revisionId": document.revision_id,
            "revisedAt": timestamp(document.revised_at),
        },
        "type": consent.type,
        "userId": consent.user_id,
        "contextUri": consent.context_uri,
        "state": consent.state.value,
        "givenAt": timestamp(consent.given_at),
        "requestRevokedAt": timestamp(consent.request_revoked_at),
        "requestRescindedAt": timestamp(consent.request_rescinded_at),
    }
    body["document"] = {k: v for k, v in body["document"].items() if v is not None}
    return {k: v for k, v in body.items() if v is not None}


def history_item(entry: HistoryEntry) -> dict[str, Any]:
    item = {
        "_profile": HISTORY_PROFILE,
        "occurredAt": timestamp(entry.at),
        "actor": {"kind": entry.actor.kind.value, "id": entry.actor.id},
        "cause": entry.cause.value,
        "fromState": entry.from_state.value if entry.from_state is not None else None,
        "toState": entry.to_state.value,
        "reason": entry.reason,
    }
    return {k: v for k, v in item.items() if v is not None}


def consent_body(
    consent: Consent, *, history: Sequence[HistoryEntry] | None = None, embedded: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The full representation; ``history`` embeds the consent's history (oldest first)."""
    body = {"_profile": CONSENT_PROFILE, **_fields(consent), "_links": _links(consent)}
    extra = dict(embedded or {})
    if history is not None:
        extra["history"] = [history_item(entry) for entry in history]
    if extra:
        body["_embedded"] = extra
    return body


def summary_body(consent: Consent) -> dict[str, Any]:
    """What a collection holds for each item; follow ``self`` for links and history."""
    return {
        "_profile": SUMMARY_PROFILE,
        **_fields(consent),
        "_links": {"self": link(consent_href(consent.id))},
    }
