"""What a caller may do, and where: the grants iam computes per user (``iam.permissions.updated``).

Each entry is one operational group the user is in: the tags its feature groups hold and the
datazones its territory groups hold (``None``: no territory group, the whole tenant; an empty
set: territory groups without a live datazone, no object at all). A tag reaches the union of
its entries' territories; ``may(tag, zones)`` holds when that reach is everywhere or meets the
object's datazones. Pure: no SQL, no HTTP; the request path builds one from the replica row
(``proximity.access.caller``).

The reach of each tag is folded once when the grants are built, so a check is a dictionary
look-up and a set intersection, whatever the number of operational groups.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Final

from proximity.auth.permission_catalogue import RESOURCES, UnknownPermission, known
from proximity.errors import PermissionDenied


class Everywhere:
    """The reach of a tag an operational group without territory holds: the whole tenant."""

    _instance: Everywhere | None = None

    def __new__(cls) -> Everywhere:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "EVERYWHERE"


EVERYWHERE: Final = Everywhere()
NOWHERE: Final[frozenset[uuid.UUID]] = frozenset()
# A tag's reach: everywhere in the tenant, or the objects in these datazones (empty: nothing).
Reach = Everywhere | frozenset[uuid.UUID]

# The same datazone and group ids recur across a tenant's users: parsed once each.
_uuid: Callable[[str], uuid.UUID] = lru_cache(maxsize=1 << 16)(uuid.UUID)

_TAGS_OF: Final[dict[str, tuple[str, ...]]] = {
    resource.name: tuple(sorted(f"{resource.name}.{action}" for action in resource.actions))
    for resource in RESOURCES
}


@dataclass(frozen=True, slots=True)
class GrantEntry:
    """One operational group's share of a user's grants."""

    op_group_id: uuid.UUID | None
    tags: frozenset[str]
    datazone_ids: frozenset[uuid.UUID] | None  # None: the whole tenant

    @classmethod
    def from_json(cls, item: Mapping[str, Any]) -> GrantEntry:
        """One item of the event's ``permissions`` (as stored in the replica). Raises
        ValueError / TypeError / KeyError on an item of the wrong shape."""
        group = item.get("op_group_id")
        tags = item.get("permissions") or []
        zones = item.get("datazone_ids")
        if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
            raise ValueError("permissions must be a list of strings")
        if zones is not None and not isinstance(zones, list):
            raise ValueError("datazone_ids must be a list or null")
        return cls(
            op_group_id=_uuid(str(group)) if group else None,
            tags=frozenset(tags),
            datazone_ids=None if zones is None else frozenset(_uuid(str(zone)) for zone in zones),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "op_group_id": None if self.op_group_id is None else str(self.op_group_id),
            "permissions": sorted(self.tags),
            "datazone_ids": None if self.datazone_ids is None else sorted(map(str, self.datazone_ids)),
        }


def _fold(entries: Iterable[GrantEntry]) -> dict[str, Reach]:
    reach: dict[str, Reach] = {}
    for entry in entries:
        for tag in entry.tags:
            held = reach.get(tag, NOWHERE)
            if held is EVERYWHERE:
                continue
            if entry.datazone_ids is None:
                reach[tag] = EVERYWHERE
            else:
                assert isinstance(held, frozenset)
                reach[tag] = held | entry.datazone_ids
    return reach


@dataclass(frozen=True, slots=True)
class Grants:
    """A caller's grants. ``system_admin`` bypasses every check (seed 004) and carries no
    ``__permissions__``. ``source`` says where they came from (``replica``, ``token``,
    ``system_admin``), for logs and tests."""

    entries: tuple[GrantEntry, ...] = ()
    system_admin: bool = False
    source: str = "replica"
    _reach: dict[str, Reach] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_reach", _fold(self.entries))

    @classmethod
    def of_entries(cls, entries: Iterable[GrantEntry]) -> Grants:
        return cls(tuple(entries))

    @classmethod
    def from_json(cls, items: Iterable[Mapping[str, Any]]) -> Grants:
        """From the replica's ``entries`` (the event's ``permissions``)."""
        return cls(tuple(GrantEntry.from_json(item) for item in items))

    @classmethod
    def from_token(cls, permissions: Collection[str]) -> Grants:
        """A user iam has not computed grants for: the token's ``perms``, over the whole
        tenant (what every service did before territories existed)."""
        return cls((GrantEntry(None, frozenset(permissions), None),), source="token")

    @classmethod
    def everything(cls) -> Grants:
        return cls(system_admin=True, source="system_admin")

    def reach(self, tag: str) -> Reach:
        """Where ``tag`` reaches: ``EVERYWHERE``, or the datazones it reaches (empty: nothing)."""
        known(tag)
        if self.system_admin:
            return EVERYWHERE
        return self._reach.get(tag, NOWHERE)

    def granted(self, tag: str) -> bool:
        """Whether some operational group gives ``tag`` at all, whatever its territory: a
        caller granted a tag whose territory reaches nothing sees an empty list, one never
        granted it is refused (403), as before territories."""
        known(tag)
        return self.system_admin or tag in self._reach

    def holds(self, tag: str) -> bool:
        """Whether ``tag`` reaches anything at all (a check before the object is known)."""
        reach = self.reach(tag)
        return reach is EVERYWHERE or bool(reach)

    def may(self, tag: str, object_zone_ids: Collection[uuid.UUID]) -> bool:
        """Whether the caller holds ``tag`` on an object in ``object_zone_ids``."""
        reach = self.reach(tag)
        if reach is EVERYWHERE:
            return True
        assert isinstance(reach, frozenset)
        return not reach.isdisjoint(object_zone_ids)

    def list_zones(self, tag: str) -> frozenset[uuid.UUID] | None:
        """What a list filters by: None (no filter: ``tag`` reaches everywhere), else the
        datazones an object must share one of (``datazone_ids && :zones``); empty: the list
        shows nothing."""
        reach = self.reach(tag)
        return None if reach is EVERYWHERE else reach  # type: ignore[return-value]

    def require(self, tag: str, object_zone_ids: Collection[uuid.UUID]) -> None:
        if not self.may(tag, object_zone_ids):
            raise PermissionDenied(f"Missing permission '{tag}' on this object.")

    def require_granted(self, tag: str) -> None:
        """Before the object is read: a caller never granted ``tag`` is refused at once, with
        the message the token check gave (one granted it nowhere passes, and sees nothing)."""
        if not self.granted(tag):
            raise PermissionDenied(f"Missing permission '{tag}'.")

    def require_somewhere(self, tag: str) -> None:
        """Before the object is read: a caller who holds ``tag`` nowhere is refused at once,
        with the message a token check gave."""
        if not self.holds(tag):
            raise PermissionDenied(f"Missing permission '{tag}'.")

    def object_permissions(self, resource: str, object_zone_ids: Collection[uuid.UUID]) -> list[str] | None:
        """``__permissions__`` of one object: the sorted tags of ``resource`` the caller holds
        on it; None for a system administrator (a client that finds no array assumes all)."""
        tags = _TAGS_OF.get(resource)
        if tags is None:
            raise UnknownPermission(f"'{resource}' is no resource of the permission catalogue")
        if self.system_admin:
            return None
        zones = object_zone_ids if isinstance(object_zone_ids, (set, frozenset)) else set(object_zone_ids)
        granted: list[str] = []
        for tag in tags:
            reach = self._reach.get(tag, NOWHERE)
            if reach is EVERYWHERE or not reach.isdisjoint(zones):  # type: ignore[union-attr]
                granted.append(tag)
        return granted

    def with_permissions(
        self, item: Mapping[str, Any], resource: str, object_zone_ids: Collection[uuid.UUID]
    ) -> dict[str, Any]:
        granted = self.object_permissions(resource, object_zone_ids)
        return dict(item) if granted is None else {**item, "__permissions__": granted}
