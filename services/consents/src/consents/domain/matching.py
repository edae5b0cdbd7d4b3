"""Which consents an operation touches besides (or instead of) the one it names.

All functions take the candidate consents the service loaded (any superset is fine: each rule
filters on user, type, document and context itself) and never touch the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from consents.domain.consent import Consent
from consents.domain.document import RevisedDocument
from consents.domain.history import Actor
from consents.domain.states import FINAL_STATES, NEEDED_STATES, ConsentState

RESCINDABLE_STATES = frozenset({ConsentState.PENDING, ConsentState.GIVEN, ConsentState.STALE})


class GiveScope(StrEnum):
    INSTANCE = "instance"
    MATCHING = "matching"  # the seed's default


def existing_request(
    candidates: Iterable[Consent], *, user_id: str, type: str, document_uri: str, context_uri: str | None
) -> Consent | None:
    """The live consent a ``POST /consents`` answers with (200) instead of creating one (201).

    Same user, type, document URI and context: contexts stay independent (seed overview). A
    rescinded or revoked consent is not reused, so a requester can ask again after either.
    """
    for consent in candidates:
        if (
            consent.state not in FINAL_STATES
            and consent.user_id == user_id
            and consent.type == type
            and consent.document.uri == document_uri
            and consent.context_uri == context_uri
        ):
            return consent
    return None


def is_matching(named: Consent, other: Consent) -> bool:
    """Whether giving ``named`` with ``scope=matching`` also gives ``other``: a different needed
    (pending or stale) consent of the same user with the same type, document.uri and contextUri."""
    return (
        other.id != named.id
        and other.state in NEEDED_STATES
        and other.user_id == named.user_id
        and other.type == named.type
        and other.document.uri == named.document.uri
        and other.context_uri == named.context_uri
    )


def give(
    named: Consent, candidates: Iterable[Consent], *, scope: GiveScope, at: datetime, actor: Actor
) -> list[Consent]:
    """Give ``named`` and, for ``scope=matching``, its matches; returns the others given (which
    the response embeds). Raises ``TransitionNotAllowed`` when ``named`` cannot be given."""
    named.give(at=at, actor=actor)
    if scope is GiveScope.INSTANCE:
        return []
    others = [other for other in candidates if is_matching(named, other)]
    for other in others:
        other.give(at=at, actor=actor, reason=f"given with consent {named.id} (scope=matching)")
    return others


def rescind_matches(
    candidates: Iterable[Consent],
    *,
    type: str,
    context_uri: str | None,
    user_id: str,
    document_uri: str | None = None,
) -> list[Consent]:
    """Every consent ``POST /rescindedConsents?type&context&user[&document]`` rescinds: all the
    matches that can still be rescinded (see ``transitions`` for why all, not the first)."""
    return [
        consent
        for consent in candidates
        if consent.state in RESCINDABLE_STATES
        and consent.type == type
        and consent.context_uri == context_uri
        and consent.user_id == user_id
        and (document_uri is None or consent.document.uri == document_uri)
    ]


@dataclass(frozen=True, slots=True)
class RevisionPlan:
    stale: tuple[Consent, ...]  # given and not matching the revision: given -> stale
    moved: tuple[Consent, ...]  # pending, stale, or given already matching: document updated only


def plan_revision(candidates: Iterable[Consent], revised: RevisedDocument) -> RevisionPlan:
    """What ``POST /revisedDocuments`` does to each consent for that document and type (and
    context, when given). Rescinded and revoked consents keep the document they were about."""
    stale: list[Consent] = []
    moved: list[Consent] = []
    for consent in candidates:
        if (
            consent.state in FINAL_STATES
            or consent.type != revised.type
            or consent.document.uri != revised.uri
            or (revised.context_uri is not None and consent.context_uri != revised.context_uri)
        ):
            continue
        current = consent.document.matches_revision(revised.revised_at, revised.revision_id)
        if consent.state is ConsentState.GIVEN and not current:
            stale.append(consent)
        elif not current or revised.new_uri is not None:
            moved.append(consent)
    return RevisionPlan(stale=tuple(stale), moved=tuple(moved))


def apply_revision(
    candidates: Iterable[Consent], revised: RevisedDocument, *, at: datetime, actor: Actor
) -> RevisionPlan:
    """Carry out ``plan_revision``: the stale ones now ask for the revision, the moved ones point at it."""
    plan = plan_revision(candidates, revised)
    reason = f"document {revised.uri} revised at {revised.revised_at.isoformat()}"
    for consent in plan.stale:
        consent.mark_stale(revised.applied_to(consent.document), at=at, actor=actor, reason=reason)
    for consent in plan.moved:
        consent.move_document(revised.applied_to(consent.document), at=at, actor=actor, reason=reason)
    return plan
