"""A consent's history: who did what to it, when and why (in the spirit of ISO/IEC TS 27560).

Entries are frozen value objects and a consent keeps them in a tuple that only ever grows:
nothing in a history is updated or deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from consents.domain.states import Action, ConsentState


class ActorKind(StrEnum):
    USER = "user"  # the person whose consent it is (their party id)
    ADMINISTRATOR = "administrator"  # a financial-institution administrator (their party id)
    SERVICE = "service"  # a service caller (its service name)


@dataclass(frozen=True, slots=True)
class Actor:
    kind: ActorKind
    id: str


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    at: datetime  # when
    actor: Actor  # who
    cause: Action  # why: the operation that changed the consent
    from_state: ConsentState | None  # None for the request that created the consent
    to_state: ConsentState
    reason: str | None = None  # free text: "given with consent 0399abed... (scope=matching)"
