"""The five consent states of seed 001 (``consentStates``) and the actions that move between them."""

from __future__ import annotations

from enum import StrEnum


class ConsentState(StrEnum):
    PENDING = "pending"
    GIVEN = "given"
    STALE = "stale"
    RESCINDED = "rescinded"
    REVOKED = "revoked"


class Action(StrEnum):
    """What happened to a consent; the ``cause`` of a history entry."""

    REQUEST = "request"  # POST /consents
    GIVE = "give"  # POST /givenConsents
    REVOKE = "revoke"  # POST /revokedConsents
    RESCIND = "rescind"  # POST /rescindedConsents
    REVISE = "revise"  # POST /revisedDocuments: a given consent becomes stale
    MOVE_DOCUMENT = "moveDocument"  # POST /revisedDocuments: document revision/URI updated, state kept


NEEDED_STATES = frozenset({ConsentState.PENDING, ConsentState.STALE})
"""What ``GET /neededConsents`` lists: the user is asked to (re)consent. A revoked consent is not
needed: the user withdrew it and it cannot be given again (see ``transitions``)."""

FINAL_STATES = frozenset({ConsentState.RESCINDED, ConsentState.REVOKED})
"""No action leaves these; the requester creates a new consent to ask again."""


def is_needed(state: ConsentState) -> bool:
    return state in NEEDED_STATES
