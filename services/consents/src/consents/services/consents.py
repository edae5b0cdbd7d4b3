"""Creating, reading and listing consents."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime

from pydantic import AwareDatetime, BaseModel, Field

from consents.bootstrap import Collaborators
from consents.domain.consent import Consent
from consents.domain.document import Document
from consents.domain.history import HistoryEntry
from consents.domain.matching import existing_request
from consents.domain.type_names import require_registered
from consents.errors import ConsentNotFound
from consents.events.published import envelope
from consents.repositories import consent_queries
from consents.repositories import consents as rows
from consents.repositories.consent_queries import Listing
from consents.services import type_names
from consents.services.access import Caller
from proximity.db.unit_of_work import UnitOfWork
from proximity.errors import PermissionDenied


class DocumentBody(BaseModel):
    uri: str = Field(min_length=1, max_length=2000)
    contentType: str = Field(min_length=1, max_length=200)
    revisionId: str | None = Field(default=None, max_length=200)
    revisedAt: AwareDatetime


class CreateConsentBody(BaseModel):
    """``createConsent``: ``_profile``/``_links`` are accepted and ignored."""

    document: DocumentBody
    type: str = Field(min_length=1, max_length=100)
    userId: str = Field(min_length=1, max_length=200)
    contextUri: str | None = Field(default=None, min_length=1, max_length=2000)


def publish(uow: UnitOfWork, caller: Caller, consent: Consent) -> None:
    """Put the events the aggregate raised in the outbox, in the same transaction."""
    for event in consent.events:
        uow.publish(envelope(caller.tenant_id, consent, event))
    consent.events.clear()


async def create(wired: Collaborators, caller: Caller, body: CreateConsentBody) -> tuple[Consent, bool]:
    """The new consent (True) or, for a live one of the same user, type, document and context,
    that one (False: the seed answers 200 with it)."""
    if not caller.may_see(body.userId):
        raise PermissionDenied("Users may request consents only for themselves.")
    async with wired.unit_of_work() as uow:
        require_registered(await type_names.load(uow.session, caller), body.type)
        await rows.lock_request(uow.session, caller.tenant_id, body.userId, body.document.uri)
        candidates = await rows.of_user_and_document(
            uow.session, caller.tenant_id, user_id=body.userId, document_uri=body.document.uri
        )
        found = existing_request(
            candidates,
            user_id=body.userId,
            type=body.type,
            document_uri=body.document.uri,
            context_uri=body.contextUri,
        )
        if found is not None:
            return found, False
        consent = Consent.request(
            id=str(uuid.uuid4()),
            type=body.type,
            user_id=body.userId,
            document=Document(
                uri=body.document.uri,
                revised_at=body.document.revisedAt,
                revision_id=body.document.revisionId,
                content_type=body.document.contentType,
            ),
            context_uri=body.contextUri,
            at=datetime.now(UTC),
            actor=caller.actor,
        )
        await rows.add(uow.session, caller.tenant_id, consent)
        publish(uow, caller, consent)
        await uow.commit()
    return consent, True


async def get(wired: Collaborators, caller: Caller, consent_id: str) -> tuple[Consent, list[HistoryEntry]]:
    try:
        key = uuid.UUID(consent_id)
    except ValueError:
        raise ConsentNotFound(consent_id) from None
    # The consent and its history from one snapshot: a transition committing in between
    # would otherwise show version n with n + 1 entries.
    async with wired.snapshot() as session:
        consent = await rows.get(session, caller.tenant_id, key)
        if consent is None or not caller.may_see(consent.user_id):
            raise ConsentNotFound(consent_id)
        history = await rows.history(session, caller.tenant_id, key)
    return consent, history


async def search(wired: Collaborators, caller: Caller, listing: Listing) -> tuple[list[Consent], int]:
    """Users see only their own consents, whatever ``userId`` they ask for."""
    if not caller.sees_all:
        own = caller.party_id or ""
        wanted = tuple(u for u in listing.user_ids if u == own) if listing.user_ids else (own,)
        listing = replace(listing, user_ids=wanted or ("",))  # "": someone else's only: nothing
    async with wired.snapshot() as session:  # the page and its count agree
        return await consent_queries.search(session, caller.tenant_id, listing)
