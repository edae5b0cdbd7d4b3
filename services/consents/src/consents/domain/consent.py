"""The Consent aggregate: one user's consent (or not) to one document, in one optional context.

Every change goes through ``transitions.transition``: it appends one history entry, bumps
``version`` (the ETag and the optimistic-concurrency check of the row) and returns the event,
which is also collected in ``events`` for the unit of work to put in the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from consents.domain.document import Document
from consents.domain.events import (
    ConsentDocumentMoved,
    ConsentEvent,
    ConsentGiven,
    ConsentRequested,
    ConsentRescinded,
    ConsentRevoked,
    ConsentStale,
)
from consents.domain.history import Actor, HistoryEntry
from consents.domain.states import Action, ConsentState
from consents.domain.transitions import allowed_actions, transition

_E = TypeVar("_E", bound=ConsentEvent)


@dataclass(eq=False)
class Consent:
    id: str
    type: str
    user_id: str  # the person's party id
    document: Document
    context_uri: str | None
    state: ConsentState
    version: int
    history: tuple[HistoryEntry, ...]
    given_at: datetime | None = None
    request_revoked_at: datetime | None = None
    request_rescinded_at: datetime | None = None
    events: list[ConsentEvent] = field(default_factory=list, repr=False)

    @classmethod
    def request(
        cls,
        *,
        id: str,
        type: str,
        user_id: str,
        document: Document,
        context_uri: str | None,
        at: datetime,
        actor: Actor,
    ) -> Consent:
        """A new pending consent (``POST /consents``), version 1, with its ``ConsentRequested``."""
        step = transition(None, Action.REQUEST, at=at, actor=actor)
        consent = cls(
            id=id,
            type=type,
            user_id=user_id,
            document=document,
            context_uri=context_uri,
            state=step.state,
            version=1,
            history=(step.entry,),
        )
        consent.events.append(
            ConsentRequested(
                consent_id=id,
                version=1,
                occurred_at=at,
                actor=actor,
                type=type,
                user_id=user_id,
                document=document,
                context_uri=context_uri,
            )
        )
        return consent

    @property
    def allowed_actions(self) -> frozenset[Action]:
        return allowed_actions(self.state)

    def give(self, *, at: datetime, actor: Actor, reason: str | None = None) -> ConsentGiven:
        self._apply(Action.GIVE, at, actor, reason)
        self.given_at = at
        return self._record(ConsentGiven(self.id, self.version, at, actor))

    def revoke(self, *, at: datetime, actor: Actor, reason: str | None = None) -> ConsentRevoked:
        self._apply(Action.REVOKE, at, actor, reason)
        self.request_revoked_at = at
        return self._record(ConsentRevoked(self.id, self.version, at, actor))

    def rescind(self, *, at: datetime, actor: Actor, reason: str | None = None) -> ConsentRescinded:
        self._apply(Action.RESCIND, at, actor, reason)
        self.request_rescinded_at = at
        return self._record(ConsentRescinded(self.id, self.version, at, actor))

    def mark_stale(
        self, document: Document, *, at: datetime, actor: Actor, reason: str | None = None
    ) -> ConsentStale:
        """A given consent whose document was revised: ask again, for ``document`` (the revision)."""
        self._apply(Action.REVISE, at, actor, reason)
        self.document = document
        return self._record(ConsentStale(self.id, self.version, at, actor, document))

    def move_document(
        self, document: Document, *, at: datetime, actor: Actor, reason: str | None = None
    ) -> ConsentDocumentMoved:
        """The document's revision or URI changed without changing what this consent's state means."""
        self._apply(Action.MOVE_DOCUMENT, at, actor, reason)
        self.document = document
        return self._record(ConsentDocumentMoved(self.id, self.version, at, actor, document))

    def _apply(self, action: Action, at: datetime, actor: Actor, reason: str | None) -> None:
        step = transition(self.state, action, at=at, actor=actor, reason=reason)
        self.state = step.state
        self.history = (*self.history, step.entry)
        self.version += 1

    def _record(self, event: _E) -> _E:
        self.events.append(event)
        return event
