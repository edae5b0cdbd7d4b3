"""One permission catalogue for the whole system: a tag outside it cannot be checked, and no
service's code names one."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest

from proximity.auth.claims import Claims
from proximity.auth.permission_catalogue import PERMISSIONS, RESOURCES, UnknownPermission
from proximity.auth.permissions import can, object_permissions, require

REPO = Path(__file__).resolve().parents[3]
# A tag as code writes it: a quoted "<resource>.<action>".
TAG = re.compile(r"""["']([a-z_]+)\.(view|create|update|delete)["']""")


def claims(*permissions: str, admin: bool = False) -> Claims:
    return Claims(
        subject=str(uuid.uuid4()),
        tenant_id=uuid.uuid4(),
        party_id=uuid.uuid4(),
        permissions=frozenset(permissions),
        system_admin=admin,
    )


def test_tags_are_plural_resources_and_their_actions() -> None:
    assert {
        "assets.view",
        "contracts.update",
        "parties.update",
        "heatmaps.view",
        "groups.update",
    } <= PERMISSIONS
    assert "dashboard.view" in PERMISSIONS
    assert not {"asset.view", "party.view", "contract.view"} & PERMISSIONS
    assert len({resource.name for resource in RESOURCES}) == len(RESOURCES)


def test_a_tag_outside_the_catalogue_cannot_be_checked_even_for_an_admin() -> None:
    for caller in (claims("asset.view"), claims(admin=True)):
        with pytest.raises(UnknownPermission):
            can(caller, "asset.view")
        with pytest.raises(UnknownPermission):
            require(caller, "asset.view")
        with pytest.raises(UnknownPermission):
            object_permissions(caller, "asset")


def test_known_tags_are_checked_as_before() -> None:
    assert can(claims("assets.view"), "assets.view")
    assert not can(claims("assets.view"), "assets.update")
    assert can(claims(admin=True), "assets.delete")
    assert object_permissions(claims("assets.view", "assets.update", "entities.view"), "assets") == [
        "assets.update",
        "assets.view",
    ]
    assert object_permissions(claims(admin=True), "assets") is None


def test_no_service_names_a_tag_outside_the_catalogue() -> None:
    sources = [*REPO.glob("services/*/src/**/*.py"), *REPO.glob("gateway/src/**/*.py")]
    assert len(sources) > 100
    unknown = {
        f"{path.relative_to(REPO)}: {match.group(1)}.{match.group(2)}"
        for path in sources
        for match in TAG.finditer(path.read_text())
        if f"{match.group(1)}.{match.group(2)}" not in PERMISSIONS
    }
    assert not unknown, sorted(unknown)
