"""Service bodies (seed 004 "CREATE a new Service", "UPDATE a Service", "BATCH UPDATE" rows), the
service and its catalogues as the API shows them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from contracts.repositories.service_catalogues import ServiceCategory, ServiceType
from contracts.repositories.services import Service
from proximity.auth.claims import Claims
from proximity.auth.permissions import object_permissions
from proximity.batch_patch import BatchRow

E164_PATTERN = r"^\+[1-9][0-9]{1,14}$"
# Syntax only, no lookup: a service's email is contact data, and validating it must not depend
# on the network. One @, no spaces, a dot in the domain.
EMAIL_PATTERN = r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$"


class ServiceIn(BaseModel):
    """The whole service, for create and for replace; ``id`` only ever comes from the URL (a
    client echoing a read sends read-only fields too: they are ignored)."""

    model_config = ConfigDict(extra="ignore")

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=150)]
    description: Annotated[str, StringConstraints(max_length=5000)]
    email: Annotated[str, StringConstraints(max_length=254, pattern=EMAIL_PATTERN)] | None = None
    phone: Annotated[str, StringConstraints(pattern=E164_PATTERN)] | None = None
    type_id: uuid.UUID | None = Field(default=None, description="One of `/services/~/types`.")
    category_id: uuid.UUID | None = Field(default=None, description="One of `/services/~/categories`.")
    suspended_at: datetime | None = Field(
        default=None, description="Non-null suspends at the server's time (a suspended one keeps its date)."
    )


class ServicePatch(BatchRow):
    """One ``PATCH /services`` row: a date suspends or deletes (the server's clock sets it),
    null reactivates or restores; a field left out is not changed."""

    model_config = ConfigDict(extra="forbid")

    suspended_at: datetime | None = None
    deleted_at: datetime | None = None


class ServiceView(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: uuid.UUID
    name: str
    description: str
    email: str | None
    phone: str | None
    category_id: uuid.UUID | None
    type_id: uuid.UUID | None
    suspended_at: datetime | None
    created_at: datetime
    updated_at: datetime | None
    deleted_at: datetime | None = Field(description="Set only on a deleted service (named by id).")
    permissions: list[str] = Field(
        default_factory=list,
        alias="__permissions__",
        description="The caller's `service.*` permissions; absent for a system administrator.",
    )


class ServiceTypeView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID
    name: str
    created_at: datetime


class ServiceCategoryView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID
    name: str
    created_at: datetime


def service_view(found: Service, claims: Claims) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": found.id,
        "name": found.name,
        "description": found.description,
        "email": found.email,
        "phone": found.phone,
        "category_id": found.category_id,
        "type_id": found.type_id,
        "suspended_at": found.suspended_at,
        "created_at": found.created_at,
        "updated_at": found.updated_at,
        "deleted_at": found.deleted_at,
    }
    granted = object_permissions(claims, "services")
    if granted is not None:
        view["__permissions__"] = granted
    return view


def catalogue_view(found: ServiceType | ServiceCategory) -> dict[str, Any]:
    return {"id": found.id, "name": found.name, "created_at": found.created_at}
