"""Contract bodies (seed 004 "CREATE a new Contract", "UPDATE a Contract") and the contract as
the API shows it (``contract_view``)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic.json_schema import SkipJsonSchema

from contracts.repositories.contract_links import ContractLinks, links
from contracts.repositories.contract_records import Contract
from contracts.schemas.view_fields import sometimes_absent
from proximity.access.grants import Grants

# How many ids one list of a contract may hold (as assets' MAX_LINKED): a contract's event
# carries all its links and must fit the broker's max_payload (docs/events.md).
MAX_LINKED = 1000
URL_PATTERN = "^[Hh][Tt][Tt][Pp][Ss]?://[^/?#\\s]+[^\\s]*$"


class PartyAssociationIn(BaseModel):
    """Seed 004's PartyAssociation: the party (``id``) and its contract role of the right kind."""

    model_config = ConfigDict(extra="ignore")

    id: uuid.UUID
    role_id: uuid.UUID


def _unique(given: list[PartyAssociationIn]) -> list[dict[str, str]]:
    """In the order given; a party and role named twice counts once."""
    seen: dict[tuple[uuid.UUID, uuid.UUID], None] = {}
    for association in given:
        seen.setdefault((association.id, association.role_id), None)
    return [{"party_id": str(party), "role_id": str(role)} for party, role in seen]


class ContractIn(BaseModel):
    """The whole contract, for create and for replace; ``id`` only ever comes from the URL.

    Entities come as ``entities_ids`` (the seed's table) or ``entity_ids`` (its examples), not
    both."""

    model_config = ConfigDict(extra="ignore")

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=150)]
    description: Annotated[str, StringConstraints(max_length=5000)] = ""
    starts_at: AwareDatetime | None = None
    expires_at: AwareDatetime | None = None
    url: Annotated[str, StringConstraints(max_length=1000, pattern=URL_PATTERN)] | None = None
    owners: list[PartyAssociationIn] = Field(default_factory=list, max_length=MAX_LINKED)
    contacts: list[PartyAssociationIn] = Field(default_factory=list, max_length=MAX_LINKED)
    party_ids: list[uuid.UUID] = Field(default_factory=list, max_length=MAX_LINKED)
    service_ids: list[uuid.UUID] = Field(default_factory=list, max_length=MAX_LINKED)
    asset_ids: list[uuid.UUID] = Field(default_factory=list, max_length=MAX_LINKED)
    entities_ids: list[uuid.UUID] | None = Field(
        default=None, max_length=MAX_LINKED, description="The entities the contract covers."
    )
    entity_ids: list[uuid.UUID] | None = Field(
        default=None,
        max_length=MAX_LINKED,
        description="Another spelling of `entities_ids` (the seed's examples).",
    )
    media_ids: list[uuid.UUID] = Field(
        default_factory=list,
        max_length=MAX_LINKED,
        description=(
            "Documents of the assets service, in the order given; each new to the contract a live "
            "document of the tenant (`eAttemptSaveWithMissingMedia`)."
        ),
    )
    suspended_at: datetime | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> ContractIn:
        if self.starts_at is not None and self.expires_at is not None and self.expires_at < self.starts_at:
            raise ValueError("expires_at must not be before starts_at")
        if self.entities_ids is not None and self.entity_ids is not None:
            raise ValueError("give entities_ids or entity_ids, not both")
        return self

    def links(self) -> ContractLinks:
        return links(
            asset_ids=self.asset_ids,
            entity_ids=self.entities_ids or self.entity_ids or (),
            party_ids=self.party_ids,
            service_ids=self.service_ids,
        )

    def owner_rows(self) -> list[dict[str, str]]:
        return _unique(self.owners)

    def contact_rows(self) -> list[dict[str, str]]:
        return _unique(self.contacts)


class PartyAssociationView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID
    role_id: uuid.UUID


class ContractView(BaseModel):
    """A contract on lists (the shallow payload)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: uuid.UUID
    name: str
    description: str
    starts_at: datetime | None
    expires_at: datetime | None
    url: str | None
    created_at: datetime
    updated_at: datetime | None
    suspended_at: datetime | None
    deleted_at: datetime | None
    permissions: list[str] = Field(
        default_factory=list,
        alias="__permissions__",
        description=(
            "The caller's `contracts.*` permissions on this contract (those its datazones give); "
            "absent for a system administrator."
        ),
    )


class ContractCountsView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    assets: int = Field(ge=0, description="Assets the contract links.")
    entities: int = Field(ge=0, description="Entities the contract links.")


class ListedContractView(ContractView):
    stats: list[ContractCountsView] | SkipJsonSchema[None] = sometimes_absent(
        "With `include[]=counts` only: one item of totals.", max_length=1
    )


class ContractDetailView(ListedContractView):
    owners: list[PartyAssociationView]
    contacts: list[PartyAssociationView]
    party_ids: list[uuid.UUID]
    service_ids: list[uuid.UUID]
    asset_ids: list[uuid.UUID]
    entity_ids: list[uuid.UUID]
    media_ids: list[uuid.UUID]


def contract_view(
    found: Contract, grants: Grants, linked: ContractLinks | None = None, *, counts: bool = False
) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": found.id,
        "name": found.name,
        "description": found.description,
        "starts_at": found.starts_at,
        "expires_at": found.expires_at,
        "url": found.url,
    }
    if linked is not None:
        view |= {
            "owners": [{"id": a["party_id"], "role_id": a["role_id"]} for a in found.owners],
            "contacts": [{"id": a["party_id"], "role_id": a["role_id"]} for a in found.contacts],
            "party_ids": list(linked.party_ids),
            "service_ids": list(linked.service_ids),
            "asset_ids": list(linked.asset_ids),
            "entity_ids": list(linked.entity_ids),
            "media_ids": list(found.media_ids),
        }
    view |= {
        "created_at": found.created_at,
        "updated_at": found.updated_at,
        "suspended_at": found.suspended_at,
        "deleted_at": found.deleted_at,
    }
    if counts:
        view["stats"] = [{"assets": found.total_assets, "entities": found.total_entities}]
    granted = grants.object_permissions("contracts", found.datazone_ids)
    if granted is not None:  # seed 004: omitted for a system admin, whose checks are bypassed
        view["__permissions__"] = granted
    return view
