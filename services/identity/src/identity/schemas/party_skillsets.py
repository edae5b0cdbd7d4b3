"""Request body of ``PUT /parties/~/skillsets`` (up to 50 party/skillset pairs) and the pairs
as the API shows them."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import AliasChoices, AwareDatetime, BaseModel, ConfigDict, Field, RootModel, model_validator

MAX_PAIRS = 50


class PartySkillSetWrite(BaseModel):
    model_config = ConfigDict(extra="ignore")

    party_id: uuid.UUID
    skillset_id: uuid.UUID
    # The seed's parameter table says ``effected_at``, its examples ``effective_at``: both count.
    effective_at: AwareDatetime | None = Field(
        default=None, validation_alias=AliasChoices("effective_at", "effected_at")
    )
    expires_at: AwareDatetime | None = None
    doc_url: str | None = Field(default=None, max_length=5000)
    deleted_at: AwareDatetime | None = None


class PartySkillSetsWrite(BaseModel):
    data: list[PartySkillSetWrite] = Field(min_length=1, max_length=MAX_PAIRS)

    @model_validator(mode="after")
    def _pairs_once(self) -> PartySkillSetsWrite:
        # Two rows for one pair in a request would make the result depend on their order.
        pairs = [(row.party_id, row.skillset_id) for row in self.data]
        if len(set(pairs)) != len(pairs):
            raise ValueError("each party_id/skillset_id pair may appear only once")
        return self


class PartySkillSetView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    party_id: uuid.UUID
    skillset_id: uuid.UUID
    effective_at: datetime | None
    expires_at: datetime | None
    doc_url: str | None
    created_at: datetime
    updated_at: datetime | None
    deleted_at: datetime | None


class PartySkillSetsView(RootModel[list[PartySkillSetView]]):
    """The pairs of the request in their new state, in the request's order."""
