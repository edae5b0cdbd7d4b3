"""Entity bodies (seed 004 "CREATE a new Entity", "UPDATE an Entity") and the entity as the API
shows it (``entity_view``)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from pydantic.json_schema import SkipJsonSchema

from assets.repositories.entity_queries import EntityLinks, PartyAssociation
from assets.repositories.entity_records import Entity
from assets.schemas.assets import E164_PATTERN, MAX_LINKED
from assets.schemas.view_fields import sometimes_absent
from proximity.access.grants import Grants
from proximity.address import AddressIn, AddressView

MAX_ADDRESSES = 50
URL_PATTERN = "^[Hh][Tt][Tt][Pp][Ss]?://[^/?#\\s]+[^\\s]*$"


class PartyAssociationIn(BaseModel):
    """Seed 004's PartyAssociation: the party (``id``) and its role of the right kind."""

    model_config = ConfigDict(extra="ignore")

    id: uuid.UUID
    role_id: uuid.UUID


class EntityIn(BaseModel):
    """The whole entity, for create and for replace; ``id`` only ever comes from the URL."""

    model_config = ConfigDict(extra="ignore")

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=150)]
    description: Annotated[str, StringConstraints(max_length=5000)] | None = None
    type_id: uuid.UUID
    industry_id: uuid.UUID | None = None
    phone: Annotated[str, StringConstraints(pattern=E164_PATTERN)] | None = None
    url: Annotated[str, StringConstraints(max_length=1000, pattern=URL_PATTERN)] | None = None
    addresses: list[AddressIn] = Field(default_factory=list, max_length=MAX_ADDRESSES)
    owners: list[PartyAssociationIn] = Field(default_factory=list, max_length=MAX_LINKED)
    contacts: list[PartyAssociationIn] = Field(default_factory=list, max_length=MAX_LINKED)
    service_ids: list[uuid.UUID] = Field(default_factory=list, max_length=MAX_LINKED)
    contract_ids: list[uuid.UUID] = Field(
        default_factory=list,
        max_length=MAX_LINKED,
        description=(
            "The contracts linking the entity. Contracts owns these links: a list that differs from "
            "the entity's is written there (`eAttemptSaveWithMissingContracts` for an unknown "
            "contract, `eServiceUnavailable` while contracts cannot be reached: then nothing is "
            "changed). Left out: the links stay as they are."
        ),
    )
    suspended_at: datetime | None = None

    def links(self) -> EntityLinks:
        def unique(given: list[PartyAssociationIn]) -> tuple[PartyAssociation, ...]:
            by_party = {a.id: PartyAssociation(a.id, a.role_id) for a in given}  # the last role wins
            return tuple(by_party[p] for p in sorted(by_party))

        return EntityLinks(unique(self.owners), unique(self.contacts), tuple(sorted(set(self.service_ids))))


class PartyAssociationView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID
    role_id: uuid.UUID


class EntityView(BaseModel):
    """An entity on lists (the shallow payload)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: uuid.UUID
    name: str
    description: str | None
    type_id: uuid.UUID
    industry_id: uuid.UUID | None
    phone: str | None
    url: str | None
    created_at: datetime
    updated_at: datetime | None
    suspended_at: datetime | None
    deleted_at: datetime | None
    permissions: list[str] = Field(
        default_factory=list,
        alias="__permissions__",
        description="The caller's `entity.*` permissions; absent for a system administrator.",
    )


class EntityCountsView(BaseModel):
    """``contracts``: the contracts linking the entity, as contracts last announced them;
    datazones and operational groups are other contexts' and not held yet: 0."""

    model_config = ConfigDict(extra="forbid")

    assets: int = Field(ge=0, description="Live assets that name the entity.")
    contracts: int = Field(ge=0)
    datazones: int = Field(ge=0)
    operational: int = Field(ge=0)


class ListedEntityView(EntityView):
    stats: list[EntityCountsView] | SkipJsonSchema[None] = sometimes_absent(
        "With `include[]=counts` only: one item of totals.", max_length=1
    )


class EntityDetailView(EntityView):
    addresses: list[AddressView]
    contract_ids: list[uuid.UUID]
    service_ids: list[uuid.UUID]
    owners: list[PartyAssociationView]
    contacts: list[PartyAssociationView]


def entity_view(found: Entity, grants: Grants, links: EntityLinks | None = None) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": found.id,
        "name": found.name,
        "description": found.description,
        "type_id": found.type_id,
        "industry_id": found.industry_id,
        "phone": found.phone,
        "url": found.url,
    }
    if links is not None:
        view |= {
            "addresses": found.addresses,
            "contract_ids": list(links.contract_ids),
            "service_ids": list(links.service_ids),
            "owners": [{"id": a.party_id, "role_id": a.role_id} for a in links.owners],
            "contacts": [{"id": a.party_id, "role_id": a.role_id} for a in links.contacts],
        }
    view |= {
        "created_at": found.created_at,
        "updated_at": found.updated_at,
        "suspended_at": found.suspended_at,
        "deleted_at": found.deleted_at,
    }
    granted = grants.object_permissions("entities", found.datazone_ids)
    if granted is not None:
        view["__permissions__"] = granted
    return view


def counts_view(found: Entity) -> list[dict[str, int]]:
    """A one-item list, as seed 004 shows it."""
    return [
        {"assets": found.total_assets, "contracts": found.total_contracts, "datazones": 0, "operational": 0}
    ]
