"""Party request bodies (seed 004 "CREATE a new Party", "UPDATE a Party", "BATCH UPDATE
Parties"), the party as the API shows it (``party_view``) and the models that document it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic.json_schema import SkipJsonSchema

from identity.domain.address import latitude, longitude, missing_parts
from identity.domain.party_fields import (
    E164_PATTERN,
    NAME_MAX,
    PROFILE_KEYS,
    PROFILE_VALUE_MAX,
    checked_email,
    e164_phone,
    public_url,
)
from identity.repositories.parties import LIST_FIELDS, ListedParty, PartyCounts, list_fields
from identity.schemas.view_fields import listed_in_document, sometimes_absent
from proximity.auth.claims import Claims
from proximity.auth.permissions import object_permissions

MAX_ADDRESSES = 50
MAX_PROFILE_ENTRIES = 50
MAX_BATCH = 100

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=NAME_MAX)]
# json_schema_extra shows in the API document what the validators check, without replacing
# their error messages.
Email = Annotated[
    str, Field(max_length=320, json_schema_extra={"format": "email"}), AfterValidator(checked_email)
]
Phone = Annotated[str, Field(json_schema_extra={"pattern": E164_PATTERN}), AfterValidator(e164_phone)]
AvatarUrl = Annotated[
    str,
    Field(max_length=2000, json_schema_extra={"pattern": "^[Hh][Tt][Tt][Pp][Ss]?://[^/?#]"}),
    AfterValidator(public_url),
]
AddressPart = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=150)]


class Address(BaseModel):
    """Any part may be given, but a finer part needs the coarser ones it sits in: region needs
    country; city and locale need country and region; street needs city too, unit street too;
    postal needs country. ``lat`` (-90 to 90) and ``long`` (-180 to 180) are decimal strings."""

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

    # Another key is the use case's eProfileKeyNotFound.
    key: str = Field(min_length=1, max_length=150, json_schema_extra=listed_in_document(PROFILE_KEYS))
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
    email: Email | None = None
    phone: Phone | None = None
    avatar_media_id: uuid.UUID | None = None
    avatar_url: AvatarUrl | None = None
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


class AddressView(BaseModel):
    """An address as stored: every part is present, null when not given."""

    model_config = ConfigDict(extra="forbid")

    name: str | None
    country: str | None
    region: str | None
    city: str | None
    locale: str | None
    street: str | None
    unit: str | None
    postal: str | None
    lat: str | None
    long: str | None


class ProfileEntryView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str
    val: str


class PartyCountsView(BaseModel):
    """How many objects the party is linked to. Contracts and assets live in other contexts,
    whose links identity does not replicate yet: they are 0."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    groups_user: int = Field(alias="groups.user", ge=0)
    contracts: int = Field(ge=0)
    assets: int = Field(ge=0)
    skillsets: int = Field(ge=0)


class _PartyFields(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: uuid.UUID
    type_id: uuid.UUID | None
    base_type: Literal["user", "contact"]
    first_name: str
    # Null only on parties provisioned with a first name alone (a tenant's first user).
    last_name: str | None
    email: str | None
    phone: str | None
    avatar_media_id: uuid.UUID | None
    avatar_url: str | None
    job_title_id: uuid.UUID | None
    system_admin: bool = Field(
        alias="__system_admin__", description="Whether the party's user is a system administrator."
    )
    created_at: datetime
    updated_at: datetime | None
    suspended_at: datetime | None
    deleted_at: datetime | None
    # Absent for a system administrator, whose permission checks are bypassed (seed 004).
    permissions: list[str] = Field(
        default_factory=list,
        alias="__permissions__",
        description="The caller's `party.*` permissions; absent for a system administrator.",
    )


class PartyView(_PartyFields):
    """A party on lists and batch results (no addresses or profile)."""

    stats: list[PartyCountsView] = Field(
        default_factory=list,
        max_length=1,
        description="With `include[]=stats` only: one item of totals.",
    )


class PartyDetailView(_PartyFields):
    """One party in full: get, create and replace."""

    addresses: list[AddressView]
    profile: list[ProfileEntryView]
    counts: PartyCountsView | SkipJsonSchema[None] = sometimes_absent("With `include[]=counts` only.")


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
    fields = list_fields(party)
    # The order seed 004 shows: the party's fields, the admin flag, what ``full`` and the
    # counts add, then the dates.
    view: dict[str, Any] = {name: fields[name] for name in LIST_FIELDS[:10]}
    view["__system_admin__"] = listed.system_admin
    if full:
        view["addresses"] = party.addresses
        view["profile"] = party.profile
    if counts_as == "stats" and listed.counts is not None:
        view["stats"] = [_counts(listed.counts)]  # a one-item list, as seed 004 shows it
    elif counts_as == "counts" and listed.counts is not None:
        view["counts"] = _counts(listed.counts)
    for name in LIST_FIELDS[10:]:
        view[name] = fields[name]
    granted = object_permissions(claims, "parties")
    if granted is not None:  # seed 004: omitted for a system admin, whose checks are bypassed
        view["__permissions__"] = granted
    return view
