"""Every permission tag of the system, in one place: ``<resource>.<action>`` with seed 004's
plural resource names (the path each resource lives under). The permission checks of every
service refuse a tag that is not here (``proximity.auth.permissions``), so a service cannot
check, nor iam grant, a permission nobody can hold. iam provisions one system feature per tag."""

from __future__ import annotations

from dataclasses import dataclass

ACTIONS = ("view", "create", "update", "delete")


@dataclass(frozen=True, slots=True)
class Resource:
    name: str
    context: str  # the service whose operations the tags open
    label: str
    actions: tuple[str, ...] = ACTIONS


RESOURCES: tuple[Resource, ...] = (
    Resource("parties", "identity", "People and other parties"),
    Resource("users", "identity", "The users of parties", ("view", "update")),
    Resource("skillsets", "identity", "Skillsets"),
    Resource("templates", "identity", "Templates"),
    Resource("assets", "assets", "Assets and their documents"),
    Resource("entities", "assets", "Entities and their documents"),
    Resource("industries", "assets", "Industries"),
    Resource("dynamicfields", "assets", "Dynamic fields, their layouts and values"),
    Resource("contracts", "contracts", "Contracts and their links"),
    Resource("services", "contracts", "Services"),
    Resource("groups", "iam", "Groups"),
    Resource("features", "iam", "Features", ("view",)),
    Resource("datazones", "iam", "Datazones and their geozones"),
    Resource("heatmaps", "heatmaps", "Heatmaps"),
    Resource("dashboard", "heatmaps", "The dashboard", ("view",)),
)

PERMISSIONS: frozenset[str] = frozenset(
    f"{resource.name}.{action}" for resource in RESOURCES for action in resource.actions
)
RESOURCE_NAMES: frozenset[str] = frozenset(resource.name for resource in RESOURCES)


class UnknownPermission(LookupError):
    """A check of a tag the catalogue does not have: a mistake in the code, never the caller's."""


def known(permission: str) -> str:
    if permission not in PERMISSIONS:
        raise UnknownPermission(f"'{permission}' is not in the permission catalogue")
    return permission
