"""The target document a consent is about (seed 001 ``document``) and a revision of it
(``revisedDocument``, the body of ``POST /revisedDocuments``)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Document:
    uri: str
    revised_at: datetime
    revision_id: str | None = None  # seed: "may be omitted and will default to the revision time stamp"
    content_type: str | None = None

    def matches_revision(self, revised_at: datetime, revision_id: str | None) -> bool:
        """Seed: consents "which already match the document and time stamp (and, optionally,
        document revision) are not marked stale"."""
        if self.revised_at != revised_at:
            return False
        return revision_id is None or self.revision_id == revision_id


@dataclass(frozen=True, slots=True)
class RevisedDocument:
    uri: str
    type: str
    revised_at: datetime
    revision_id: str | None = None
    context_uri: str | None = None  # when given, only consents in this context are affected
    new_uri: str | None = None  # the document moved: affected consents point here afterwards
    content_type: str | None = None

    def applied_to(self, document: Document) -> Document:
        """``document`` as of this revision: new time stamp, revision id and (if moved) URI.
        A document already at this revision keeps its revision id and only moves."""
        if document.matches_revision(self.revised_at, self.revision_id):
            return replace(document, uri=self.new_uri or document.uri)
        return replace(
            document,
            uri=self.new_uri or document.uri,
            revised_at=self.revised_at,
            revision_id=self.revision_id,
            content_type=self.content_type or document.content_type,
        )
