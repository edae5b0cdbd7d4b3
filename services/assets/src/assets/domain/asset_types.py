"""Asset types: the catalogue every tenant starts with, and what a type permits.

Seed 004's type configuration: ``allow_parents`` names the types an asset of this type may sit
under (none: it takes no parent), ``require_parent`` makes one compulsory, ``permit_address``
and ``permit_geo`` say what location it may carry, ``is_container`` types hold only assets
(no entity, no assigned parties or services), ``can_inherit`` lets it show its parent's
location. Each tenant's types get ids of their own, derived from the tenant and the type's key,
so provisioning twice (a redelivered ``identity.tenant.created``) makes the same rows.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

# The namespace of every tenant's type ids: uuid5(uuid5(NAMESPACE, tenant), key).
TYPE_NAMESPACE = uuid.UUID("8a0f2d0e-3f5b-4c61-9a53-6d1f3c2a9b70")


@dataclass(frozen=True, slots=True)
class TypeTemplate:
    """A type of the standard catalogue, before it belongs to a tenant."""

    key: str
    name: str
    parents: tuple[str, ...]
    require_parent: bool
    can_inherit: bool
    permit_address: bool
    permit_geo: bool
    is_container: bool


# site → building → floor → unit; a unit may also sit directly in a building or on a site (a
# kiosk, a yard). Floors carry no location of their own: they inherit their building's.
STANDARD_TYPES: tuple[TypeTemplate, ...] = (
    TypeTemplate("site", "Site", (), False, False, True, True, True),
    TypeTemplate("building", "Building", ("site",), False, True, True, True, True),
    TypeTemplate("floor", "Floor", ("building",), True, True, False, False, True),
    TypeTemplate("unit", "Unit", ("site", "building", "floor"), True, True, True, True, False),
)


def type_id(tenant_id: uuid.UUID, key: str) -> uuid.UUID:
    return uuid.uuid5(uuid.uuid5(TYPE_NAMESPACE, str(tenant_id)), key)


@dataclass(frozen=True, slots=True)
class TypeRules:
    """What one tenant's type permits, as the placement and location checks read it."""

    id: uuid.UUID
    allow_parents: tuple[uuid.UUID, ...]
    require_parent: bool
    permit_address: bool
    permit_geo: bool
    is_container: bool


def provisioned(tenant_id: uuid.UUID, template: TypeTemplate) -> TypeRules:
    return TypeRules(
        id=type_id(tenant_id, template.key),
        allow_parents=tuple(type_id(tenant_id, key) for key in template.parents),
        require_parent=template.require_parent,
        permit_address=template.permit_address,
        permit_geo=template.permit_geo,
        is_container=template.is_container,
    )
