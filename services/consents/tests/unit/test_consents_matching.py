"""Which consents give (scope=matching), rescind and a revised document touch."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from consent_builders import ADMIN, DOC, LATER, PRODUCT, REVISED_DOC, SERVICE, USER, make

from consents.domain.document import RevisedDocument
from consents.domain.events import ConsentDocumentMoved, ConsentGiven, ConsentStale
from consents.domain.matching import (
    GiveScope,
    apply_revision,
    existing_request,
    give,
    is_matching,
    plan_revision,
    rescind_matches,
)
from consents.domain.states import ConsentState

P, G, S = ConsentState.PENDING, ConsentState.GIVEN, ConsentState.STALE
OTHER_DOC = dataclasses.replace(DOC, uri="/vault/files/other/content")


# --- give -------------------------------------------------------------------------------


def test_matching_means_needed_same_user_type_document_uri_and_context() -> None:
    named = make(P)
    assert is_matching(named, make(P))
    assert is_matching(named, make(S))
    assert is_matching(named, make(P, document=dataclasses.replace(DOC, revision_id="other")))  # uri only
    assert not is_matching(named, named)
    assert not is_matching(named, make(G))
    assert not is_matching(named, make(ConsentState.REVOKED))
    assert not is_matching(named, make(ConsentState.RESCINDED))
    assert not is_matching(named, make(P, user_id="party-2"))
    assert not is_matching(named, make(P, type="privacyPolicy"))
    assert not is_matching(named, make(P, document=OTHER_DOC))
    assert not is_matching(named, make(P, context_uri="/products/products/dda2"))
    assert not is_matching(named, make(P, context_uri=None))
    assert is_matching(make(P, context_uri=None), make(P, context_uri=None))


def test_give_with_scope_matching_gives_the_matches_too() -> None:
    named, pending, stale = make(P), make(P), make(S)
    elsewhere, given = make(P, context_uri="/products/products/dda2"), make(G)
    others = give(
        named, [named, pending, stale, elsewhere, given], scope=GiveScope.MATCHING, at=LATER, actor=USER
    )
    assert others == [pending, stale]
    assert all(c.state is G and c.given_at == LATER for c in (named, pending, stale))
    assert elsewhere.state is P
    assert given.version == 2  # already given: left alone
    assert given.events == []
    assert pending.history[-1].reason == f"given with consent {named.id} (scope=matching)"
    assert pending.events == [ConsentGiven(pending.id, 2, LATER, USER)]


def test_give_with_scope_instance_gives_only_the_named_one() -> None:
    named, pending = make(P), make(P)
    assert give(named, [named, pending], scope=GiveScope.INSTANCE, at=LATER, actor=USER) == []
    assert (named.state, pending.state) == (G, P)


def test_matching_is_the_default_scope_value() -> None:
    assert GiveScope("matching") is GiveScope.MATCHING
    assert GiveScope("instance") is GiveScope.INSTANCE


# --- rescind ----------------------------------------------------------------------------


def test_rescind_matches_all_live_consents_of_type_context_and_user() -> None:
    """Seed contradiction: every match is rescinded, not the first."""
    first, second, stale = make(P), make(G), make(S)
    revoked, rescinded = make(ConsentState.REVOKED), make(ConsentState.RESCINDED)
    other_user, other_type = make(P, user_id="party-2"), make(P, type="privacyPolicy")
    other_context = make(P, context_uri=None)
    candidates = [first, second, stale, revoked, rescinded, other_user, other_type, other_context]
    found = rescind_matches(candidates, type="termsAndConditions", context_uri=PRODUCT, user_id="party-1")
    assert found == [first, second, stale]


def test_rescind_with_a_document_must_match_it_too() -> None:
    terms, other = make(P), make(P, document=OTHER_DOC)
    found = rescind_matches(
        [terms, other],
        type="termsAndConditions",
        context_uri=PRODUCT,
        user_id="party-1",
        document_uri=OTHER_DOC.uri,
    )
    assert found == [other]


def test_rescind_without_a_context_matches_consents_without_one() -> None:
    bare, scoped = make(P, context_uri=None), make(P)
    found = rescind_matches([bare, scoped], type="termsAndConditions", context_uri=None, user_id="party-1")
    assert found == [bare]


# --- create ------------------------------------------------------------------------------


def test_existing_request_is_the_live_consent_for_the_same_request() -> None:
    revoked, live = make(ConsentState.REVOKED), make(G)
    found = existing_request(
        [revoked, live],
        user_id="party-1",
        type="termsAndConditions",
        document_uri=DOC.uri,
        context_uri=PRODUCT,
    )
    assert found is live


def test_no_existing_request_in_another_context_or_after_rescind() -> None:
    candidates = [
        make(ConsentState.RESCINDED),
        make(P, context_uri="/products/products/dda2"),
        make(P, type="x"),
    ]
    found = existing_request(
        candidates, user_id="party-1", type="termsAndConditions", document_uri=DOC.uri, context_uri=PRODUCT
    )
    assert found is None


# --- revised documents -------------------------------------------------------------------

REVISION = RevisedDocument(
    uri=DOC.uri,
    type="termsAndConditions",
    revised_at=REVISED_DOC.revised_at,
    revision_id=REVISED_DOC.revision_id,
)


def test_given_consents_of_an_older_revision_become_stale() -> None:
    given, other_context = make(G), make(G, context_uri="/products/products/dda2")
    plan = plan_revision([given, other_context], REVISION)
    assert plan.stale == (given, other_context)  # no context in the revision: every context
    assert plan.moved == ()


def test_a_context_in_the_revision_limits_it() -> None:
    given, other_context = make(G), make(G, context_uri="/products/products/dda2")
    plan = plan_revision([given, other_context], dataclasses.replace(REVISION, context_uri=PRODUCT))
    assert plan.stale == (given,)


def test_given_consents_already_at_the_revision_stay_given() -> None:
    current = make(G, document=REVISED_DOC)
    assert plan_revision([current], REVISION).stale == ()
    same_time_no_id = dataclasses.replace(REVISION, revision_id=None)
    assert plan_revision([current], same_time_no_id).stale == ()
    other_id = dataclasses.replace(REVISION, revision_id="2019:1.2.1")
    assert plan_revision([current], other_id).stale == (current,)


def test_other_types_documents_and_final_states_are_untouched() -> None:
    untouched = [
        make(G, type="privacyPolicy"),
        make(G, document=OTHER_DOC),
        make(ConsentState.REVOKED),
        make(ConsentState.RESCINDED),
    ]
    plan = plan_revision(untouched, dataclasses.replace(REVISION, new_uri="/vault/files/new/content"))
    assert plan.stale == plan.moved == ()


def test_pending_and_stale_consents_are_brought_to_the_revision() -> None:
    older = dataclasses.replace(DOC, revised_at=datetime(2018, 1, 1, tzinfo=UTC), revision_id="2018")
    pending, stale_older, stale_current = make(P), make(S, document=older), make(S)
    assert stale_current.document == REVISED_DOC
    plan = plan_revision([pending, stale_older, stale_current], REVISION)
    assert plan.stale == ()
    assert plan.moved == (pending, stale_older)  # a stale one already asking for the revision stays


def test_apply_revision_marks_stale_and_moves_to_the_new_uri() -> None:
    given, pending, current = make(G), make(P), make(G, document=REVISED_DOC)
    revision = dataclasses.replace(REVISION, new_uri="/vault/files/new/content")
    plan = apply_revision([given, pending, current], revision, at=LATER, actor=ADMIN)
    assert plan.stale == (given,)
    assert plan.moved == (pending, current)
    expected = dataclasses.replace(REVISED_DOC, uri="/vault/files/new/content")
    assert given.state is S
    assert given.document == expected
    assert given.events == [ConsentStale(given.id, 3, LATER, ADMIN, expected)]
    assert pending.state is P
    assert pending.document == expected
    assert pending.events == [ConsentDocumentMoved(pending.id, 2, LATER, ADMIN, expected)]
    assert current.state is G
    assert current.document == expected
    assert given.history[-1].reason == f"document {DOC.uri} revised at 2019-10-05T10:30:00+00:00"


def test_a_revision_without_id_clears_the_old_id_but_a_current_document_keeps_its_own() -> None:
    revised_at = datetime(2020, 1, 1, tzinfo=UTC)
    given, current = make(G), make(G, document=REVISED_DOC)
    apply_revision(
        [given],
        dataclasses.replace(REVISION, revised_at=revised_at, revision_id=None),
        at=LATER,
        actor=SERVICE,
    )
    assert (given.document.revised_at, given.document.revision_id) == (revised_at, None)
    moved = dataclasses.replace(REVISION, revision_id=None, new_uri="/vault/files/new/content")
    apply_revision([current], moved, at=LATER, actor=SERVICE)
    assert current.document.revision_id == REVISED_DOC.revision_id
    assert current.document.uri == "/vault/files/new/content"


def test_a_revision_keeps_the_content_type_unless_given() -> None:
    given = make(G)
    apply_revision(
        [given],
        dataclasses.replace(REVISION, content_type="text/html; charset=utf-8"),
        at=LATER,
        actor=SERVICE,
    )
    assert given.document.content_type == "text/html; charset=utf-8"
    other = make(G)
    apply_revision([other], REVISION, at=LATER, actor=SERVICE)
    assert other.document.content_type == "application/pdf"
