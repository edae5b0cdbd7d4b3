"""The contract roles every tenant starts with (seed 004 "Type: Contract Role", the examples
of "LIST Contract Roles"): the parts owners and contacts play on a contract. Each tenant's
rows get ids of their own, derived from the tenant and the key, so provisioning twice makes
the same rows."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Literal

RoleType = Literal["contact", "owner"]
ROLE_TYPES: tuple[RoleType, ...] = ("owner", "contact")

# Fixed: changing it would give every tenant's roles new ids.
_ROLE_NAMESPACE = uuid.UUID("5b0c6f4e-2a71-4c1e-9d3f-8e6a1c2b7d40")


@dataclass(frozen=True, slots=True)
class ContractRoleTemplate:
    key: str
    name: str
    description: str
    type: RoleType


STANDARD_CONTRACT_ROLES: tuple[ContractRoleTemplate, ...] = (
    ContractRoleTemplate("customer_success", "Customer Success", "Keeps the contract delivered.", "owner"),
    ContractRoleTemplate("account_executive", "Account Executive", "Answers for the contract.", "owner"),
    ContractRoleTemplate("primary_contact", "Primary Contact", "The first person to call.", "contact"),
    ContractRoleTemplate(
        "billing_contact", "Billing Contact", "Receives the contract's invoices.", "contact"
    ),
)


def role_id(tenant_id: uuid.UUID, key: str) -> uuid.UUID:
    return uuid.uuid5(_ROLE_NAMESPACE, f"{tenant_id}:contract-role:{key}")
