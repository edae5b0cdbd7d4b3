"""The entity types and entity roles every tenant starts with (seed 004 "Type: Entity Type",
"Type: Entity Role"). Each tenant's rows get ids of their own, derived from the tenant and the
key (as asset types' are), so provisioning twice makes the same rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

BaseType = Literal["client", "vendor"]
RoleType = Literal["contact", "owner"]


@dataclass(frozen=True, slots=True)
class EntityTypeTemplate:
    key: str
    name: str
    description: str
    base_type: BaseType


@dataclass(frozen=True, slots=True)
class EntityRoleTemplate:
    key: str
    name: str
    description: str
    type: RoleType


STANDARD_ENTITY_TYPES: tuple[EntityTypeTemplate, ...] = (
    EntityTypeTemplate("client", "Client", "An organisation the tenant serves.", "client"),
    EntityTypeTemplate("vendor", "Vendor", "An organisation that serves the tenant.", "vendor"),
)
STANDARD_ENTITY_ROLES: tuple[EntityRoleTemplate, ...] = (
    EntityRoleTemplate("primary_contact", "Primary Contact", "The first person to call.", "contact"),
    EntityRoleTemplate("billing_contact", "Billing Contact", "Who receives invoices.", "contact"),
    EntityRoleTemplate("account_owner", "Account Owner", "Who answers for the relationship.", "owner"),
    EntityRoleTemplate("customer_success", "Customer Success", "Who keeps the entity served well.", "owner"),
)
