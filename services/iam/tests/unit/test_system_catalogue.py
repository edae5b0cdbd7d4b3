"""What every tenant is given: one system feature per catalogue tag, a category and a
system group per resource, and "All features"; the same ids every time."""

from __future__ import annotations

import uuid

from iam.domain.system_catalogue import ALL_FEATURES, tenant_catalogue
from proximity.auth.permission_catalogue import PERMISSIONS, RESOURCES


def test_one_feature_per_tag_and_a_group_per_resource() -> None:
    tenant = uuid.uuid4()
    catalogue = tenant_catalogue(tenant)
    assert {f.permission for f in catalogue.features} == PERMISSIONS
    assert len(catalogue.features) == len(PERMISSIONS)
    assert {c.sys_name for c in catalogue.categories} == {r.name for r in RESOURCES}
    names = {g.name: g for g in catalogue.groups}
    assert len(names) == len(RESOURCES) + 1
    by_id = {f.id: f.permission for f in catalogue.features}
    assert {by_id[i] for i in names["Assets"].feature_ids} == {
        "assets.view",
        "assets.create",
        "assets.update",
        "assets.delete",
    }
    assert set(names[ALL_FEATURES].feature_ids) == set(by_id)


def test_ids_are_the_tenants_and_stable() -> None:
    tenant = uuid.uuid4()
    assert tenant_catalogue(tenant) == tenant_catalogue(tenant)
    other = tenant_catalogue(uuid.uuid4())
    assert not {f.id for f in other.features} & {f.id for f in tenant_catalogue(tenant).features}
