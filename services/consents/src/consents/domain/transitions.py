"""The consent state machine of seed 001.

::

    request                -> pending
    give      pending|stale|given -> given      (given -> given re-affirms: new givenAt)
    revise    given              -> stale      (the document's revisedAt/revisionId changed)
    revoke    given|stale        -> revoked
    rescind   pending|given|stale -> rescinded
    moveDocument pending|given|stale -> (same state): the document's revision or URI changed

rescinded and revoked are final. Anything else raises ``TransitionNotAllowed`` (409).

Where the seed contradicts itself we follow the operations' texts, which are what a client
is coded against:

- **Revoke sets ``revoked``, not ``pending``.** The overview ("reset the consent back to the
  pending state") and the ``requestRevokedAt`` description say pending; the ``revokeConsent``
  operation says "changes the state property of the consent to revoked", its 200 says "its
  state changed to revoked", and ``consentStates`` lists ``revoked``, which the overview's
  reading would leave unreachable. A distinct state also keeps a withdrawal visible instead
  of making it look like consent never given, which is what a consent record is for. So a
  revoked consent is final: ``giveConsent``'s 409 names "the consent may have been revoked or
  rescinded", it is not a needed consent, and ``givenAt`` is kept as the time the user last
  consented (the history has every step). To ask again, the requester creates a new consent.
- **Rescind by type + context + user affects all matches, not the first.** The overview
  says "the first matching consent"; the ``rescindConsents`` operation says "the matching
  consents", its ``user`` parameter "Rescind all matching consents", and it answers with the
  collection of updated consents. "First" has no defined order, and the overview's own example
  (other accounts on the same product) cannot be told apart by type + context + user anyway.
  Only consents that can still be rescinded (pending, given, stale) match (see ``matching``).

Issue 4 leaves both choices to us; it asks only that they be documented and tested.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from consents.domain.errors import TransitionNotAllowed
from consents.domain.history import Actor, HistoryEntry
from consents.domain.states import Action, ConsentState

_P, _G, _S = ConsentState.PENDING, ConsentState.GIVEN, ConsentState.STALE

RULES: dict[Action, dict[ConsentState | None, ConsentState]] = {
    Action.REQUEST: {None: _P},
    Action.GIVE: {_P: _G, _S: _G, _G: _G},
    Action.REVISE: {_G: _S},
    Action.REVOKE: {_G: ConsentState.REVOKED, _S: ConsentState.REVOKED},
    Action.RESCIND: {_P: ConsentState.RESCINDED, _G: ConsentState.RESCINDED, _S: ConsentState.RESCINDED},
    Action.MOVE_DOCUMENT: {_P: _P, _G: _G, _S: _S},
}


@dataclass(frozen=True, slots=True)
class Transition:
    state: ConsentState
    entry: HistoryEntry


def transition(
    state: ConsentState | None, action: Action, *, at: datetime, actor: Actor, reason: str | None = None
) -> Transition:
    """The state ``action`` leads to from ``state`` and the history entry recording it."""
    target = RULES[action].get(state)
    if target is None:
        shown = state.value if state is not None else "(none)"
        raise TransitionNotAllowed(
            f"A consent in state {shown} cannot be {_PAST[action]}.",
            attributes={"state": shown, "action": action.value},
            remediation=_REMEDIATION.get(state, "Create a new consent to request consent again."),
        )
    entry = HistoryEntry(at=at, actor=actor, cause=action, from_state=state, to_state=target, reason=reason)
    return Transition(state=target, entry=entry)


def allowed_actions(state: ConsentState) -> frozenset[Action]:
    """What can be done to a consent in ``state``: which HAL links its representation carries."""
    return frozenset(action for action, moves in RULES.items() if state in moves)


_PAST = {
    Action.REQUEST: "requested",
    Action.GIVE: "given",
    Action.REVISE: "marked stale",
    Action.REVOKE: "revoked",
    Action.RESCIND: "rescinded",
    Action.MOVE_DOCUMENT: "moved to another document revision",
}

_REMEDIATION: dict[ConsentState | None, str] = {
    ConsentState.PENDING: "A pending consent must be given before it can be revoked.",
    ConsentState.STALE: "A stale consent must be given again (to the revised document).",
}
