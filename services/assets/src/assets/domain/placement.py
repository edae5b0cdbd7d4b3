"""Where an asset may sit and what it may carry, from its type (seed 004's type config).

An asset without a type has no type rules: it may carry an address and geo, and may sit under
any container (a demanding user still expects a typed parent to be a container, not a unit).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from assets.domain.asset_types import TypeRules
from assets.errors import (
    AddressNotPermitted,
    AssignedObjectsNotPermitted,
    ContainerTypeChangeRestricted,
    EntityNotPermitted,
    GeoNotPermitted,
    ParentNotPermitted,
    ParentRequired,
)


@dataclass(frozen=True, slots=True)
class Placement:
    """What a write asks of the asset's type."""

    parent_type: TypeRules | None  # None: no parent, or an untyped one
    has_parent: bool
    has_address: bool
    has_geo: bool
    has_entity: bool
    has_assigned: bool  # parties or services


def check_placement(rules: TypeRules | None, placement: Placement) -> None:
    if rules is None:
        if placement.parent_type is not None and not placement.parent_type.is_container:
            raise ParentNotPermitted()
        return
    if placement.has_parent:
        if placement.parent_type is None or placement.parent_type.id not in rules.allow_parents:
            raise ParentNotPermitted()
    elif rules.require_parent:
        raise ParentRequired()
    if placement.has_address and not rules.permit_address:
        raise AddressNotPermitted()
    if placement.has_geo and not rules.permit_geo:
        raise GeoNotPermitted()
    if rules.is_container and placement.has_entity:
        raise EntityNotPermitted()
    if rules.is_container and placement.has_assigned:
        raise AssignedObjectsNotPermitted()


def check_type_change(before: TypeRules | None, after: TypeRules | None) -> None:
    """Seed 004: a container stays a container and a non-container stays one."""
    was = before is not None and before.is_container
    becomes = after is not None and after.is_container
    if was != becomes:
        raise ContainerTypeChangeRestricted()


def parent_type_of(types: dict[uuid.UUID, TypeRules], parent_type_id: uuid.UUID | None) -> TypeRules | None:
    return types.get(parent_type_id) if parent_type_id is not None else None
