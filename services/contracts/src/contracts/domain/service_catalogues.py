"""The service types and service categories every tenant starts with (seed 004 "Type: Service
Type", "Type: Service Category"). Each tenant's rows get ids of their own, derived from the
tenant and the key (as assets' asset types are), so provisioning twice (a redelivered
``identity.tenant.created``) makes the same rows, and the key, which never changes, is what
``contracts.service.*`` names as the service's ``type``."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Literal

# The namespace of every tenant's catalogue ids: uuid5(uuid5(NAMESPACE, tenant), "<kind>:<key>").
CATALOGUE_NAMESPACE = uuid.UUID("5b1f7c3e-2d4a-4e8b-9c61-0a7e3d2f4b18")

CatalogueKind = Literal["service-type", "service-category"]


@dataclass(frozen=True, slots=True)
class CatalogueTemplate:
    key: str
    name: str


STANDARD_SERVICE_TYPES: tuple[CatalogueTemplate, ...] = (
    CatalogueTemplate("maintenance", "Maintenance"),
    CatalogueTemplate("cleaning", "Cleaning"),
    CatalogueTemplate("security", "Security"),
    CatalogueTemplate("catering", "Catering"),
    CatalogueTemplate("inspection", "Inspection"),
)
STANDARD_SERVICE_CATEGORIES: tuple[CatalogueTemplate, ...] = (
    CatalogueTemplate("facilities", "Facilities"),
    CatalogueTemplate("hospitality", "Hospitality"),
    CatalogueTemplate("safety", "Safety and Compliance"),
    CatalogueTemplate("technical", "Technical"),
)


def catalogue_id(tenant_id: uuid.UUID, kind: CatalogueKind, key: str) -> uuid.UUID:
    return uuid.uuid5(uuid.uuid5(CATALOGUE_NAMESPACE, str(tenant_id)), f"{kind}:{key}")
