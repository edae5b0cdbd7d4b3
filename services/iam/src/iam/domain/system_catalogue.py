"""What every tenant is given (``identity.tenant.created``), from the permission catalogue
(``proximity.auth.permission_catalogue``): one system feature per tag, one category per
resource, one system feature group per resource holding its features, and "All features".

Ids are derived from the tenant and the tag (uuid5), so provisioning twice, or two replicas
provisioning at once, name the same rows and add nothing."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from proximity.auth.permission_catalogue import RESOURCES, Resource

_NAMESPACE = uuid.UUID("5f0c2a8e-6f7e-4a47-9d43-3b7e2c1f9a11")
ALL_FEATURES = "All features"
# A resource's group is named after the resource ("Assets"); where its name is two words run
# together, as they read.
_GROUP_NAMES = {"dynamicfields": "Dynamic fields"}


@dataclass(frozen=True, slots=True)
class SystemCategory:
    id: uuid.UUID
    name: str
    sys_name: str


@dataclass(frozen=True, slots=True)
class SystemFeature:
    id: uuid.UUID
    name: str
    permission: str
    category_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class SystemGroup:
    id: uuid.UUID
    name: str
    description: str
    feature_ids: tuple[uuid.UUID, ...]


@dataclass(frozen=True, slots=True)
class TenantCatalogue:
    categories: tuple[SystemCategory, ...]
    features: tuple[SystemFeature, ...]
    groups: tuple[SystemGroup, ...]


def _id(tenant_id: uuid.UUID, kind: str, key: str) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, f"{tenant_id}:{kind}:{key}")


def category_id(tenant_id: uuid.UUID, resource: str) -> uuid.UUID:
    return _id(tenant_id, "feature-category", resource)


def feature_id(tenant_id: uuid.UUID, permission: str) -> uuid.UUID:
    return _id(tenant_id, "feature", permission)


def system_group_id(tenant_id: uuid.UUID, key: str) -> uuid.UUID:
    """``key``: a resource name, or ``*`` for "All features"."""
    return _id(tenant_id, "system-group", key)


def group_name(resource: Resource) -> str:
    return _GROUP_NAMES.get(resource.name, resource.name.capitalize())


def tenant_catalogue(tenant_id: uuid.UUID) -> TenantCatalogue:
    categories = []
    features = []
    groups = []
    for resource in RESOURCES:
        category = SystemCategory(category_id(tenant_id, resource.name), resource.label, resource.name)
        categories.append(category)
        own = [
            SystemFeature(
                feature_id(tenant_id, f"{resource.name}.{action}"),
                f"{resource.label}: {action}",
                f"{resource.name}.{action}",
                category.id,
            )
            for action in resource.actions
        ]
        features.extend(own)
        groups.append(
            SystemGroup(
                system_group_id(tenant_id, resource.name),
                group_name(resource),
                f"Every feature of {resource.label.lower()}.",
                tuple(f.id for f in own),
            )
        )
    groups.append(
        SystemGroup(
            system_group_id(tenant_id, "*"),
            ALL_FEATURES,
            "Every feature of the system.",
            tuple(f.id for f in features),
        )
    )
    return TenantCatalogue(tuple(categories), tuple(features), tuple(groups))
