"""Giving, revoking and rescinding consents, revising documents, and the needed consents.

Each change is one unit of work: the consents it touches are locked (``SELECT ... FOR UPDATE``,
several always in id order, so two use cases never wait on each other), ``If-Match`` is checked
against the locked version, the domain decides (``matching`` / the aggregate), every changed
consent is saved with ``UPDATE ... WHERE version = :seen`` (its new history entries appended)
and its events go to the outbox in the same transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from pydantic import AwareDatetime, BaseModel, Field

from consents.bootstrap import Collaborators
from consents.domain import matching
from consents.domain.consent import Consent
from consents.domain.document import RevisedDocument
from consents.domain.errors import MalformedQuery
from consents.domain.etag import consent_etag, require_if_match
from consents.domain.matching import GiveScope, RevisionPlan
from consents.domain.states import NEEDED_STATES
from consents.domain.type_names import require_registered
from consents.errors import ConcurrentModification, UnknownConsentParameter
from consents.repositories import consent_queries
from consents.repositories import consents as rows
from consents.repositories.consent_queries import Listing
from consents.services import type_names
from consents.services.access import Caller, require_admin
from consents.services.consents import publish
from proximity.db.unit_of_work import UnitOfWork
from proximity.errors import PermissionDenied


class RevisedDocumentBody(BaseModel):
    """``revisedDocument``: ``_profile``/``_links``/``_embedded`` are accepted and ignored."""

    type: str = Field(min_length=1, max_length=100)
    uri: str = Field(min_length=1, max_length=2000)
    revisedAt: AwareDatetime
    revisionId: str | None = Field(default=None, min_length=1, max_length=200)
    contextUri: str | None = Field(default=None, min_length=1, max_length=2000)
    newUri: str | None = Field(default=None, min_length=1, max_length=2000)
    contentType: str | None = Field(default=None, min_length=1, max_length=200)


def consent_key(reference: str) -> uuid.UUID:
    """``?consent=``: the consent's id or the URI of the consent (``.../consents/{id}``)."""
    last = reference.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    try:
        return uuid.UUID(last)
    except ValueError:
        raise UnknownConsentParameter(reference) from None


async def _owned(uow: UnitOfWork, caller: Caller, reference: str, *, for_update: bool) -> Consent:
    """The named consent, if the caller may act on it; else the seed's 400 (no existence leak)."""
    consent = await rows.get(uow.session, caller.tenant_id, consent_key(reference), for_update=for_update)
    if consent is None or not caller.may_see(consent.user_id):
        raise UnknownConsentParameter(reference)
    return consent


async def _save_all(
    uow: UnitOfWork, caller: Caller, changed: Sequence[Consent], seen: dict[str, int]
) -> None:
    for consent in changed:
        await rows.save(uow.session, caller.tenant_id, consent, seen_version=seen[consent.id])
        publish(uow, caller, consent)


async def give(
    wired: Collaborators, caller: Caller, reference: str, *, scope: GiveScope, if_match: str | None
) -> tuple[Consent, list[Consent]]:
    """The given consent and the others given with it (``scope=matching``)."""
    async with wired.unit_of_work() as uow:
        if scope is GiveScope.INSTANCE:
            named = await _owned(uow, caller, reference, for_update=True)
            candidates: list[Consent] = [named]
        else:
            # Lock the whole group (same user, document, type) in id order, the named one included.
            found = await _owned(uow, caller, reference, for_update=False)
            candidates = await rows.of_user_and_document(
                uow.session,
                caller.tenant_id,
                user_id=found.user_id,
                document_uri=found.document.uri,
                type=found.type,
                for_update=True,
            )
            locked = next((c for c in candidates if c.id == found.id), None)
            if locked is None:  # its document moved between the two reads
                raise ConcurrentModification(found.id)
            named = locked
        require_if_match(if_match, consent_etag(named.id, named.version))
        seen = {c.id: c.version for c in candidates}
        others = matching.give(named, candidates, scope=scope, at=datetime.now(UTC), actor=caller.actor)
        await _save_all(uow, caller, [named, *others], seen)
        await uow.commit()
    return named, others


async def revoke(wired: Collaborators, caller: Caller, reference: str, *, if_match: str | None) -> Consent:
    async with wired.unit_of_work() as uow:
        consent = await _owned(uow, caller, reference, for_update=True)
        require_if_match(if_match, consent_etag(consent.id, consent.version))
        seen = {consent.id: consent.version}
        consent.revoke(at=datetime.now(UTC), actor=caller.actor)
        await _save_all(uow, caller, [consent], seen)
        await uow.commit()
    return consent


async def rescind_one(
    wired: Collaborators, caller: Caller, reference: str, *, if_match: str | None
) -> Consent:
    """``?consent=`` (the consent's ``apiture:rescind`` link): that consent only."""
    async with wired.unit_of_work() as uow:
        consent = await _owned(uow, caller, reference, for_update=True)
        require_if_match(if_match, consent_etag(consent.id, consent.version))
        seen = {consent.id: consent.version}
        consent.rescind(at=datetime.now(UTC), actor=caller.actor)
        await _save_all(uow, caller, [consent], seen)
        await uow.commit()
    return consent


async def rescind_matching(
    wired: Collaborators,
    caller: Caller,
    *,
    type: str,
    context_uri: str | None,
    user_id: str,
    document_uri: str | None,
) -> list[Consent]:
    """``?type&context&user[&document]``: every match the domain picks (see ``transitions``)."""
    if not caller.may_see(user_id):
        raise PermissionDenied("Users may rescind only their own consents.")
    async with wired.unit_of_work() as uow:
        candidates = await rows.for_rescinding(
            uow.session,
            caller.tenant_id,
            user_id=user_id,
            type=type,
            context_uri=context_uri,
            document_uri=document_uri,
        )
        matches = matching.rescind_matches(
            candidates, type=type, context_uri=context_uri, user_id=user_id, document_uri=document_uri
        )
        seen = {c.id: c.version for c in matches}
        at, reason = datetime.now(UTC), "rescinded by type, context and user"
        for consent in matches:
            consent.rescind(at=at, actor=caller.actor, reason=reason)
        await _save_all(uow, caller, matches, seen)
        await uow.commit()
    return matches


async def revise(wired: Collaborators, caller: Caller, body: RevisedDocumentBody) -> RevisionPlan:
    """Administrators and services only: given consents become stale, ``newUri`` moves them."""
    require_admin(caller)
    revised = RevisedDocument(
        uri=body.uri,
        type=body.type,
        revised_at=body.revisedAt,
        revision_id=body.revisionId,
        context_uri=body.contextUri,
        new_uri=body.newUri,
        content_type=body.contentType,
    )
    async with wired.unit_of_work() as uow:
        require_registered(await type_names.load(uow.session, caller), body.type)
        candidates = await rows.for_revision(
            uow.session, caller.tenant_id, type=body.type, document_uri=body.uri, context_uri=body.contextUri
        )
        seen = {c.id: c.version for c in candidates}
        plan = matching.apply_revision(candidates, revised, at=datetime.now(UTC), actor=caller.actor)
        await _save_all(uow, caller, [*plan.stale, *plan.moved], seen)
        await uow.commit()
    return plan


async def needed(
    wired: Collaborators, caller: Caller, *, user_id: str | None, start: int, limit: int
) -> tuple[list[Consent], int]:
    """Pending and stale consents of the caller's party, or (administrators) of ``user_id``."""
    if user_id is None:
        if caller.party_id is None:
            raise MalformedQuery(
                "userId is required: a service caller has no needed consents of its own.",
                attributes={"parameter": "userId"},
            )
        user_id = caller.party_id
    elif not caller.may_see(user_id):
        raise PermissionDenied("Only administrators may see another user's needed consents.")
    listing = Listing(
        start=start,
        limit=limit,
        states=tuple(sorted(state.value for state in NEEDED_STATES)),
        user_ids=(user_id,),
    )
    async with wired.reading() as session:
        return await consent_queries.search(session, caller.tenant_id, listing)
