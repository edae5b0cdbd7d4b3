"""What happened to a consent, raised by the ``Consent`` aggregate and published through the
outbox as ``consents.consent.<verb>``. Each carries the consent's version after the change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from consents.domain.document import Document
from consents.domain.history import Actor


@dataclass(frozen=True, slots=True)
class ConsentEvent:
    verb: ClassVar[str] = ""

    consent_id: str
    version: int
    occurred_at: datetime
    actor: Actor

    @property
    def subject(self) -> str:
        return f"consents.consent.{self.verb}"


@dataclass(frozen=True, slots=True)
class ConsentRequested(ConsentEvent):
    verb: ClassVar[str] = "requested"

    type: str
    user_id: str
    document: Document
    context_uri: str | None


@dataclass(frozen=True, slots=True)
class ConsentGiven(ConsentEvent):
    verb: ClassVar[str] = "given"


@dataclass(frozen=True, slots=True)
class ConsentRevoked(ConsentEvent):
    verb: ClassVar[str] = "revoked"


@dataclass(frozen=True, slots=True)
class ConsentRescinded(ConsentEvent):
    verb: ClassVar[str] = "rescinded"


@dataclass(frozen=True, slots=True)
class ConsentStale(ConsentEvent):
    verb: ClassVar[str] = "stale"

    document: Document  # the revision the user is now asked to consent to


@dataclass(frozen=True, slots=True)
class ConsentDocumentMoved(ConsentEvent):
    """Beyond issue 4's five subjects: a revision updated the document without a state change."""

    verb: ClassVar[str] = "documentMoved"

    document: Document
