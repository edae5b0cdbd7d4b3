"""Party request bodies (seed 004 "CREATE a new Party", "UPDATE a Party", "BATCH UPDATE
Parties") and the party as the API shows it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from identity.domain.address import latitude, longitude, missing_parts
from identity.domain.object_permissions import object_permissions
from identity.domain.party_fields import NAME_MAX, PROFILE_VALUE_MAX, checked_email, e164_phone, public_url
from identity.repositories.parties import ListedParty, PartyCounts
from proximity.auth.claims import Claims

MAX_ADDRESSES = 50
MAX_PROFILE_ENTRIES = 50
MAX_BATCH = 100

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=NAME_MAX)]
AddressPart = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=150)]


class Address(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: AddressPart | None = None
    country: AddressPart | None = None
    region: AddressPart | None = None
    city: AddressPart | None = None
    locale: AddressPart | None = None
    street: AddressPart | None = None
    unit: AddressPart | None = None
    postal: AddressPart | None = None
    lat: Annotated[str, AfterValidator(latitude)] | None = None
    long: Annotated[str, AfterValidator(longitude)] | None = None

    @model_validator(mode="after")
    def _coarser_parts_given(self) -> Address:
        problems = missing_parts(self.model_dump())
        if problems:
            raise ValueError("; ".join(problems))
        return self


class ProfileEntry(BaseModel):
    """A key/val profile item; which keys exist is checked by the use case (eProfileKeyNotFound)."""

    model_config = ConfigDict(extra="forbid")

    key: str = Field(min_length=1, max_length=150)
    val: str = Field(max_length=PROFILE_VALUE_MAX)


class PartyIn(BaseModel):
    """The whole party, for create and for replace. Read-only and ``_``-prefixed fields a client
    echoes back from a read are ignored; ``id`` only ever comes from the URL."""

    model_config = ConfigDict(extra="ignore")

    type_id: uuid.UUID | None = None
    # A convenience (seed 004): overwritten by the base type of ``type_id`` when one is given.
    base_type: Literal["user", "contact"] | None = None
    first_name: Name
    last_name: Name
    email: Annotated[str, Field(max_length=320), AfterValidator(checked_email)] | None = None
    phone: Annotated[str, AfterValidator(e164_phone)] | None = None
    avatar_media_id: uuid.UUID | None = None
    avatar_url: Annotated[str, Field(max_length=2000), AfterValidator(public_url)] | None = None
    job_title_id: uuid.UUID | None = None
    addresses: list[Address] = Field(max_length=MAX_ADDRESSES)
    profile: list[ProfileEntry] = Field(max_length=MAX_PROFILE_ENTRIES)


class PartyPatch(BaseModel):
    """One row of ``PATCH /parties``: only the fields given are changed. The server's clock
    replaces a non-null date (seed 004)."""

    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID
    suspended_at: datetime | None = None
    deleted_at: datetime | None = None


class PartyBatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Rows are validated one by one, so that one malformed row fails alone.
    data: list[Any] = Field(min_length=1, max_length=MAX_BATCH)


def _counts(counts: PartyCounts) -> dict[str, int]:
    return {
        "groups.user": counts.groups,
        "contracts": counts.contracts,
        "assets": counts.assets,
        "skillsets": counts.skillsets,
    }


def party_view(
    listed: ListedParty, claims: Claims, *, full: bool, counts_as: Literal["stats", "counts"] | None = None
) -> dict[str, Any]:
    """The party as seed 004 shows it; ``full`` adds addresses and profile (not on lists)."""
    party = listed.party
    view: dict[str, Any] = {
        "id": party.id,
        "type_id": party.type_id,
        "base_type": party.base_type,
        "first_name": party.first_name,
        "last_name": party.last_name,
        "email": party.email,
        "phone": party.phone,
        "avatar_media_id": party.avatar_media_id,
        "avatar_url": party.avatar_url,
        "job_title_id": party.job_title_id,
        "__system_admin__": listed.system_admin,
    }
    if full:
        view["addresses"] = party.addresses
        view["profile"] = party.profile
    if counts_as == "stats" and listed.counts is not None:
        view["stats"] = [_counts(listed.counts)]  # a one-item list, as seed 004 shows it
    elif counts_as == "counts" and listed.counts is not None:
        view["counts"] = _counts(listed.counts)
    view |= {
        "created_at": party.created_at,
        "updated_at": party.updated_at,
        "suspended_at": party.suspended_at,
        "deleted_at": party.deleted_at,
    }
    granted = object_permissions(claims, "party")
    if granted is not None:  # seed 004: omitted for a system admin, whose checks are bypassed
        view["__permissions__"] = granted
    return view
