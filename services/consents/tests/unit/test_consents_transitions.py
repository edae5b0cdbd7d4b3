"""The state machine: every (state, action) pair, allowed or refused, and its history entry."""

from __future__ import annotations

import pytest
from consent_builders import NOW, USER

from consents.domain.errors import TransitionNotAllowed
from consents.domain.states import Action, ConsentState, is_needed
from consents.domain.transitions import allowed_actions, transition

P, G, S = ConsentState.PENDING, ConsentState.GIVEN, ConsentState.STALE
RESCINDED, REVOKED = ConsentState.RESCINDED, ConsentState.REVOKED

ALLOWED = {
    (None, Action.REQUEST): P,
    (P, Action.GIVE): G,
    (S, Action.GIVE): G,
    (G, Action.GIVE): G,
    (G, Action.REVISE): S,
    (G, Action.REVOKE): REVOKED,
    (S, Action.REVOKE): REVOKED,
    (P, Action.RESCIND): RESCINDED,
    (G, Action.RESCIND): RESCINDED,
    (S, Action.RESCIND): RESCINDED,
    (P, Action.MOVE_DOCUMENT): P,
    (G, Action.MOVE_DOCUMENT): G,
    (S, Action.MOVE_DOCUMENT): S,
}
EVERY_PAIR = [(state, action) for state in (None, *ConsentState) for action in Action]
REFUSED = [pair for pair in EVERY_PAIR if pair not in ALLOWED]


@pytest.mark.parametrize(("state", "action"), list(ALLOWED))
def test_allowed_transition_returns_target_and_history_entry(
    state: ConsentState | None, action: Action
) -> None:
    step = transition(state, action, at=NOW, actor=USER, reason="because")
    assert step.state is ALLOWED[(state, action)]
    entry = step.entry
    assert (entry.at, entry.actor, entry.cause, entry.reason) == (NOW, USER, action, "because")
    assert (entry.from_state, entry.to_state) == (state, step.state)


@pytest.mark.parametrize(("state", "action"), REFUSED)
def test_refused_transition_is_a_409(state: ConsentState | None, action: Action) -> None:
    with pytest.raises(TransitionNotAllowed) as raised:
        transition(state, action, at=NOW, actor=USER)
    error = raised.value
    assert error.status == 409
    assert error.error_type == "consentTransitionNotAllowed"
    assert error.attributes == {"state": state.value if state else "(none)", "action": action.value}
    assert error.remediation


def test_every_pair_is_decided() -> None:
    assert len(ALLOWED) + len(REFUSED) == len(EVERY_PAIR) == 6 * 6


def test_revoke_sets_revoked_not_pending() -> None:
    """Seed contradiction: the operation's text wins over the overview's "reset to pending"."""
    assert transition(G, Action.REVOKE, at=NOW, actor=USER).state is REVOKED


@pytest.mark.parametrize("final", [RESCINDED, REVOKED])
def test_rescinded_and_revoked_are_final(final: ConsentState) -> None:
    assert allowed_actions(final) == frozenset()
    for action in Action:
        with pytest.raises(TransitionNotAllowed):
            transition(final, action, at=NOW, actor=USER)


def test_allowed_actions_drive_the_links() -> None:
    assert allowed_actions(P) == {Action.GIVE, Action.RESCIND, Action.MOVE_DOCUMENT}
    assert allowed_actions(G) == {
        Action.GIVE,
        Action.REVISE,
        Action.REVOKE,
        Action.RESCIND,
        Action.MOVE_DOCUMENT,
    }
    assert allowed_actions(S) == {Action.GIVE, Action.REVOKE, Action.RESCIND, Action.MOVE_DOCUMENT}


def test_needed_means_pending_or_stale() -> None:
    assert [state for state in ConsentState if is_needed(state)] == [P, S]
