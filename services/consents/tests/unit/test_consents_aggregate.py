"""The Consent aggregate: events, version bumps, time stamps and its append-only history."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable
from datetime import timedelta

import pytest
from consent_builders import ADMIN, DOC, LATER, NOW, PRODUCT, REVISED_DOC, SERVICE, USER, make

from consents.domain.consent import Consent
from consents.domain.errors import TransitionNotAllowed
from consents.domain.events import (
    ConsentDocumentMoved,
    ConsentGiven,
    ConsentRequested,
    ConsentRescinded,
    ConsentRevoked,
    ConsentStale,
)
from consents.domain.history import HistoryEntry
from consents.domain.states import Action, ConsentState


def test_request_creates_a_pending_consent_at_version_1() -> None:
    consent = Consent.request(
        id="c-1",
        type="privacyPolicy",
        user_id="party-1",
        document=DOC,
        context_uri=None,
        at=NOW,
        actor=SERVICE,
    )
    assert consent.state is ConsentState.PENDING
    assert consent.version == 1
    assert consent.history == (HistoryEntry(NOW, SERVICE, Action.REQUEST, None, ConsentState.PENDING),)
    assert consent.events == [ConsentRequested("c-1", 1, NOW, SERVICE, "privacyPolicy", "party-1", DOC, None)]
    assert consent.events[0].subject == "consents.consent.requested"
    assert consent.given_at is None


def test_give_sets_given_at_bumps_version_and_returns_the_event() -> None:
    consent = make()
    event = consent.give(at=LATER, actor=USER)
    assert event == ConsentGiven(consent.id, 2, LATER, USER)
    assert event.subject == "consents.consent.given"
    assert consent.events == [event]
    assert (consent.state, consent.version, consent.given_at) == (ConsentState.GIVEN, 2, LATER)
    assert consent.history[-1] == HistoryEntry(
        LATER, USER, Action.GIVE, ConsentState.PENDING, ConsentState.GIVEN
    )


def test_giving_again_reaffirms_with_a_new_given_at() -> None:
    consent = make(ConsentState.GIVEN)
    consent.give(at=LATER, actor=USER)
    assert (consent.state, consent.given_at, consent.version) == (ConsentState.GIVEN, LATER, 3)


def test_revoke_keeps_given_at_and_stamps_request_revoked_at() -> None:
    consent = make(ConsentState.GIVEN)
    event = consent.revoke(at=LATER, actor=USER, reason="changed my mind")
    assert event == ConsentRevoked(consent.id, 3, LATER, USER)
    assert event.subject == "consents.consent.revoked"
    assert consent.state is ConsentState.REVOKED
    assert (consent.given_at, consent.request_revoked_at) == (NOW, LATER)
    assert consent.history[-1].reason == "changed my mind"


def test_rescind_stamps_request_rescinded_at() -> None:
    consent = make(ConsentState.GIVEN)
    event = consent.rescind(at=LATER, actor=SERVICE)
    assert event == ConsentRescinded(consent.id, 3, LATER, SERVICE)
    assert event.subject == "consents.consent.rescinded"
    assert (consent.state, consent.request_rescinded_at) == (ConsentState.RESCINDED, LATER)


def test_mark_stale_asks_again_for_the_revision() -> None:
    consent = make(ConsentState.GIVEN)
    event = consent.mark_stale(REVISED_DOC, at=LATER, actor=ADMIN)
    assert event == ConsentStale(consent.id, 3, LATER, ADMIN, REVISED_DOC)
    assert event.subject == "consents.consent.stale"
    assert (consent.state, consent.document, consent.given_at) == (ConsentState.STALE, REVISED_DOC, NOW)


def test_move_document_keeps_the_state() -> None:
    consent = make(ConsentState.PENDING)
    moved = dataclasses.replace(DOC, uri="/vault/files/new/content")
    event = consent.move_document(moved, at=LATER, actor=ADMIN)
    assert event == ConsentDocumentMoved(consent.id, 2, LATER, ADMIN, moved)
    assert (consent.state, consent.document) == (ConsentState.PENDING, moved)
    assert consent.history[-1].cause is Action.MOVE_DOCUMENT
    assert consent.history[-1].from_state is consent.history[-1].to_state is ConsentState.PENDING


def test_a_stale_consent_given_again_is_given() -> None:
    consent = make(ConsentState.STALE)
    consent.give(at=LATER, actor=USER)
    assert (consent.state, consent.given_at, consent.document) == (ConsentState.GIVEN, LATER, REVISED_DOC)


def test_one_history_entry_and_one_version_per_change() -> None:
    consent = make(keep_events=True)
    consent.give(at=NOW, actor=USER)
    consent.mark_stale(REVISED_DOC, at=NOW + timedelta(minutes=1), actor=ADMIN)
    consent.give(at=NOW + timedelta(minutes=2), actor=USER)
    consent.revoke(at=NOW + timedelta(minutes=3), actor=USER)
    assert consent.version == len(consent.history) == len(consent.events) == 5
    assert [event.version for event in consent.events] == [1, 2, 3, 4, 5]
    assert [entry.cause for entry in consent.history] == [
        Action.REQUEST,
        Action.GIVE,
        Action.REVISE,
        Action.GIVE,
        Action.REVOKE,
    ]
    chain = [(entry.from_state, entry.to_state) for entry in consent.history]
    assert all(previous[1] == current[0] for previous, current in itertools.pairwise(chain))


def test_history_entries_cannot_be_changed() -> None:
    consent = make(ConsentState.GIVEN)
    earlier = consent.history
    with pytest.raises(dataclasses.FrozenInstanceError):
        consent.history[0].actor = ADMIN  # type: ignore[misc]
    consent.revoke(at=LATER, actor=USER)
    assert consent.history[: len(earlier)] == earlier  # appended, never rewritten
    assert isinstance(consent.history, tuple)


@pytest.mark.parametrize(
    ("state", "act"),
    [
        (ConsentState.PENDING, lambda c: c.revoke(at=LATER, actor=USER)),
        (ConsentState.PENDING, lambda c: c.mark_stale(REVISED_DOC, at=LATER, actor=ADMIN)),
        (ConsentState.STALE, lambda c: c.mark_stale(REVISED_DOC, at=LATER, actor=ADMIN)),
        (ConsentState.REVOKED, lambda c: c.give(at=LATER, actor=USER)),
        (ConsentState.REVOKED, lambda c: c.revoke(at=LATER, actor=USER)),
        (ConsentState.REVOKED, lambda c: c.rescind(at=LATER, actor=SERVICE)),
        (ConsentState.RESCINDED, lambda c: c.give(at=LATER, actor=USER)),
        (ConsentState.RESCINDED, lambda c: c.revoke(at=LATER, actor=USER)),
        (ConsentState.RESCINDED, lambda c: c.rescind(at=LATER, actor=SERVICE)),
        (ConsentState.RESCINDED, lambda c: c.move_document(REVISED_DOC, at=LATER, actor=ADMIN)),
        (ConsentState.REVOKED, lambda c: c.move_document(REVISED_DOC, at=LATER, actor=ADMIN)),
    ],
)
def test_a_refused_action_changes_nothing(state: ConsentState, act: Callable[[Consent], object]) -> None:
    consent = make(state)
    before = (consent.state, consent.version, consent.history, consent.document, consent.given_at)
    with pytest.raises(TransitionNotAllowed):
        act(consent)
    assert (consent.state, consent.version, consent.history, consent.document, consent.given_at) == before
    assert consent.events == []


def test_allowed_actions_follow_the_state() -> None:
    assert Action.GIVE in make(ConsentState.PENDING).allowed_actions
    assert Action.REVOKE not in make(ConsentState.PENDING).allowed_actions
    assert make(ConsentState.REVOKED).allowed_actions == frozenset()


def test_context_is_optional() -> None:
    assert make(context_uri=None).context_uri is None
    assert make().context_uri == PRODUCT
